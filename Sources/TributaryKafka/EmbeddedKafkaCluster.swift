internal import CRdKafka
import Dispatch
import Logging
import Synchronization

/// An in-process Kafka cluster for development and tests, hosted by
/// librdkafka's mock cluster (`rdkafka_mock.h`) on 127.0.0.1 with
/// kernel-chosen ports.
///
/// librdkafka 2.0.2's mock silently evicts old records once a partition holds
/// more than 5 MiB or 100,000 message sets, and auto-creates topics with 4
/// partitions; it has no API for either. This type verifies the mock's private
/// memory layout for exactly Debian's librdkafka 2.0.2 on x86_64 (refusing to
/// start otherwise), lifts both limits on every partition, applies
/// `defaultPartitions` to auto-created topics, and runs a watchdog that
/// records a fatal error if any partition nevertheless lost data (see
/// `checkHealthy()`).
///
/// Memory: the mock keeps every record in RAM and never deletes any, so the
/// process grows by roughly the total size of all data produced.
///
/// `@unchecked Sendable`: mock control calls are thread-safe in librdkafka
/// (they go through the mock thread's op queue); Swift state is in a `Mutex`.
public final class EmbeddedKafkaCluster: @unchecked Sendable {
    /// The `bootstrap.servers` value for clients, e.g. `127.0.0.1:41234,127.0.0.1:41235`.
    public let bootstrapServers: String
    /// The number of brokers.
    public let brokerCount: Int

    private static let logger = Logger(label: "tributary.kafka.embedded-cluster")
    private let host: RDKafkaClient
    private let mcluster: OpaquePointer
    private let layout: MockLayout
    private let state = Mutex(State())
    private let watchdogQueue = DispatchQueue(label: "tributary.kafka.embedded-cluster.watchdog")
    private let watchdog: DispatchSourceTimer
    /// Set on `watchdogQueue`: a tick's temporary strong reference can be the last one, so `deinit` (and
    /// `shutdown()`) may run on that queue, where waiting for it would trap.
    private static let onWatchdogQueue = DispatchSpecificKey<Bool>()

    private struct State {
        var failure: EmbeddedKafkaClusterError?
        var isShutDown = false
        /// Topics whose limits were lifted (addresses stay valid until the cluster is destroyed).
        var lifted: Set<UnsafeMutableRawPointer> = []
    }

    /// Starts a cluster of `brokers` brokers; topics auto-created by clients get
    /// `defaultPartitions` partitions. Throws `EmbeddedKafkaClusterError.layoutNotRecognised`
    /// unless librdkafka is exactly 2.0.2 on x86_64.
    public init(brokers: Int = 1, defaultPartitions: Int = 1) throws {
        precondition(brokers >= 1 && defaultPartitions >= 1, "brokers and defaultPartitions must be positive")
        let conf = try RDKafkaConfig(["client.id": "tributary-embedded-cluster", "log_level": "4"])
        host = try RDKafkaClient(type: RD_KAFKA_PRODUCER, config: conf)
        guard let mcluster = rd_kafka_mock_cluster_new(host.handle, Int32(brokers)) else {
            throw EmbeddedKafkaClusterError.operationFailed("rd_kafka_mock_cluster_new failed")
        }
        switch MockLayout.verifyCluster(mcluster, brokers: brokers) {
        case .success(let layout):
            self.layout = layout
        case .failure(let error):
            rd_kafka_mock_cluster_destroy(mcluster)
            throw error
        }
        self.mcluster = mcluster
        brokerCount = brokers
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(mcluster))
        layout.setDefaultPartitions(defaultPartitions)
        watchdogQueue.setSpecific(key: Self.onWatchdogQueue, value: true)
        watchdog = DispatchSource.makeTimerSource(queue: watchdogQueue)
        watchdog.schedule(deadline: .now(), repeating: .milliseconds(10), leeway: .milliseconds(2))
        watchdog.setEventHandler { [weak self] in self?.inspect() }
        watchdog.resume()
    }

    deinit {
        shutdown()
    }

    /// Creates `name` with `partitions` partitions (synchronously, on the mock
    /// thread) and lifts its retention limits before any data can arrive.
    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int = 1) throws {
        try ensureRunning()
        let err = rd_kafka_mock_topic_create(mcluster, name, Int32(clamping: partitions), Int32(clamping: replicationFactor))
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw EmbeddedKafkaClusterError.operationFailed("create topic \(name): \(String(cString: rd_kafka_err2str(err)))")
        }
        try state.withLock { state throws(EmbeddedKafkaClusterError) in
            guard let topic = layout.topics().last(where: { layout.name(of: $0) == name }) else {
                throw fail(&state, .layoutNotRecognised("created topic \(name) not found in the mock's topic list"))
            }
            if let mismatch = layout.verifyTopic(topic, expectedName: name, expectedPartitions: partitions) {
                throw fail(&state, .layoutNotRecognised("librdkafka 2.0.2 mock layout not recognised after creating \(name): \(mismatch)"))
            }
            layout.liftLimits(topic)
            state.lifted.insert(UnsafeMutableRawPointer(topic))
        }
    }

    /// The partition count of `topic`, or nil if the mock has no such topic.
    public func partitionCount(of topic: String) -> Int? {
        state.withLock { state in
            guard !state.isShutDown else { return nil }
            return layout.topics().first { layout.name(of: $0) == topic }.map { Int($0.pointee.partition_cnt) }
        }
    }

    /// Throws the first fatal problem the cluster recorded (evicted data or an
    /// unrecognised layout), or `.shutDown` after `shutdown()`.
    public func checkHealthy() throws {
        try state.withLock { state throws(EmbeddedKafkaClusterError) in
            if let failure = state.failure { throw failure }
            if state.isShutDown { throw .shutDown }
        }
    }

    /// Makes broker `id` (1-based) unreachable: its connections close and it refuses new ones.
    public func setBrokerDown(_ id: Int32) throws {
        try ensureRunning()
        try checkMock(rd_kafka_mock_broker_set_down(mcluster, id), "broker \(id) down")
    }

    /// Makes broker `id` reachable again.
    public func setBrokerUp(_ id: Int32) throws {
        try ensureRunning()
        try checkMock(rd_kafka_mock_broker_set_up(mcluster, id), "broker \(id) up")
    }

    /// Delays every response of broker `id` by `milliseconds`.
    public func setBrokerRTT(_ id: Int32, milliseconds: Int) throws {
        try ensureRunning()
        try checkMock(rd_kafka_mock_broker_set_rtt(mcluster, id, Int32(clamping: milliseconds)), "broker \(id) rtt")
    }

    /// Moves the leadership of one partition to broker `id`; clients follow after their next metadata refresh.
    public func setPartitionLeader(topic: String, partition: Int32, broker id: Int32) throws {
        try ensureRunning()
        try checkMock(
            rd_kafka_mock_partition_set_leader(mcluster, topic, partition, id), "leader of \(topic)-\(partition)")
    }

    /// Makes the next `errors.count` requests with `apiKey` (e.g. 0 = Produce,
    /// 1 = Fetch) fail with the given Kafka error codes, in order.
    public func pushRequestErrors(apiKey: Int16, errors: [Int32]) throws {
        try ensureRunning()
        let codes = errors.map { rd_kafka_resp_err_t(rawValue: $0) }
        codes.withUnsafeBufferPointer { buffer in
            rd_kafka_mock_push_request_errors_array(mcluster, apiKey, buffer.count, buffer.baseAddress)
        }
    }

    /// Makes requests naming `topic` fail with `error` (a Kafka error code; 0 clears it).
    public func setTopicError(_ topic: String, error: Int32) throws {
        try ensureRunning()
        rd_kafka_mock_topic_set_error(mcluster, topic, rd_kafka_resp_err_t(rawValue: error))
    }

    /// Stops the watchdog and destroys the mock cluster. Idempotent.
    public func shutdown() {
        let proceed = state.withLock { state in
            defer { state.isShutDown = true }
            return !state.isShutDown
        }
        guard proceed else { return }
        watchdog.cancel()
        // Waits out a tick in progress: after this no watchdog code touches the mock. On the queue itself the
        // tick that released the last reference has finished inspecting.
        if DispatchQueue.getSpecific(key: Self.onWatchdogQueue) != true { watchdogQueue.sync {} }
        rd_kafka_mock_cluster_destroy(mcluster)
    }

    private func ensureRunning() throws(EmbeddedKafkaClusterError) {
        if state.withLock({ $0.isShutDown }) { throw .shutDown }
    }

    private func checkMock(_ err: rd_kafka_resp_err_t, _ what: String) throws(EmbeddedKafkaClusterError) {
        guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { return }
        throw .operationFailed("\(what): \(String(cString: rd_kafka_err2str(err)))")
    }

    /// Records the first failure, logs it at critical level, and returns it.
    private func fail(_ state: inout State, _ error: EmbeddedKafkaClusterError) -> EmbeddedKafkaClusterError {
        if state.failure == nil {
            state.failure = error
            Self.logger.critical("\(error)")
        }
        return error
    }

    /// One watchdog tick: lift limits on new (auto-created) topics and detect eviction.
    private func inspect() {
        state.withLock { state in
            guard !state.isShutDown, state.failure == nil else { return }
            for topic in layout.topics() {
                let key = UnsafeMutableRawPointer(topic)
                if !state.lifted.contains(key) {
                    if let mismatch = layout.verifyTopic(topic) {
                        _ = fail(&state, .layoutNotRecognised("librdkafka 2.0.2 mock layout not recognised for an auto-created topic: \(mismatch)"))
                        return
                    }
                    layout.liftLimits(topic)
                    state.lifted.insert(key)
                }
                if let (partition, start) = layout.firstEviction(topic) {
                    _ = fail(&state, .dataEvicted(topic: layout.name(of: topic) ?? "?", partition: partition, startOffset: start))
                    return
                }
            }
        }
    }
}
