internal import CRdKafka
import Logging

/// A Kafka consumer on librdkafka, for group subscription or manual assignment.
///
/// Defaults (each overridable through `config`): `partition.assignment.strategy=range`
/// (the eager protocol, like Kafka Streams' classic assignor), `enable.auto.commit=false`
/// and `enable.auto.offset.store=false`: offsets are committed explicitly with `commit`.
///
/// Rebalances run `onAssigned` / `onRevoked` synchronously on the thread
/// calling `poll`, after (assign) or before (revoke) the assignment changes.
///
/// `@unchecked Sendable`: the consumer may move between threads, but calls
/// must not overlap; librdkafka's consumer API is thread-safe, the Swift-side
/// caches are not.
public final class KafkaConsumer: @unchecked Sendable {
    /// Called with the newly assigned partitions during `poll`.
    public var onAssigned: ([TopicPartition]) -> Void {
        get { callbacks.onAssigned }
        set { callbacks.onAssigned = newValue }
    }
    /// Called with the partitions about to be revoked during `poll` or `close`.
    public var onRevoked: ([TopicPartition]) -> Void {
        get { callbacks.onRevoked }
        set { callbacks.onRevoked = newValue }
    }
    /// How often `poll` may wake fetchers that librdkafka stopped at its prefetch thresholds; `nil`: never.
    ///
    /// librdkafka 2.0 stops fetching while the local queue is above `queued.min.messages` or
    /// `queued.max.messages.kbytes`, and looks again only when a partition's broker thread next wakes, up to a
    /// second later, so a consumer that drains a full queue would then find nothing to read. At most this often,
    /// when a `poll` leaves fewer than two batches (`2 × maxMessages`) queued while assigned partitions still
    /// have records on the broker (by the watermarks of the last fetch responses), `poll` sends those partitions
    /// a watermark query from a background queue, which wakes their broker threads; the queries wait at most
    /// 500 ms in all and never block `poll`.
    public var fetchWakeInterval: Duration? = .milliseconds(100)

    /// Called for non-fatal consumer errors (transport errors, partition errors),
    /// which are never returned as messages. Defaults to logging a warning.
    public var onError: (KafkaError) -> Void {
        get { callbacks.onError }
        set { callbacks.onError = newValue }
    }

    private let client: RDKafkaClient
    private let queue: OpaquePointer
    private let callbacks: ConsumerCallbacks
    private let callbacksBox: Unmanaged<ConsumerCallbacks>
    private let fetchWaker: FetchWaker
    private var lastFetchWakeCheck: ContinuousClock.Instant?
    private var batch: [UnsafeMutablePointer<rd_kafka_message_t>?] = []
    private var topicNames = TopicNameCache()
    private var isClosed = false

    /// Creates a consumer; `config` uses librdkafka property names and should
    /// contain `group.id` (required for `subscribe` and `commit`).
    public init(
        config: [String: String],
        onAssigned: @escaping ([TopicPartition]) -> Void = { _ in },
        onRevoked: @escaping ([TopicPartition]) -> Void = { _ in }
    ) throws(KafkaError) {
        var entries = config
        if entries["partition.assignment.strategy"] == nil { entries["partition.assignment.strategy"] = "range" }
        if entries["enable.auto.commit"] == nil { entries["enable.auto.commit"] = "false" }
        if entries["enable.auto.offset.store"] == nil { entries["enable.auto.offset.store"] = "false" }
        let conf = try RDKafkaConfig(entries)
        let callbacks = ConsumerCallbacks(onAssigned: onAssigned, onRevoked: onRevoked)
        let box = Unmanaged.passRetained(callbacks)
        rd_kafka_conf_set_opaque(conf.handle, box.toOpaque())
        rd_kafka_conf_set_rebalance_cb(conf.handle) { rk, err, partitions, opaque in
            guard let rk, let opaque else { return }
            let callbacks = Unmanaged<ConsumerCallbacks>.fromOpaque(opaque).takeUnretainedValue()
            callbacks.rebalance(rk, err, partitions)
        }
        rd_kafka_conf_set_error_cb(conf.handle) { _, err, reason, opaque in
            guard let opaque else { return }
            let callbacks = Unmanaged<ConsumerCallbacks>.fromOpaque(opaque).takeUnretainedValue()
            let text = reason.map { String(cString: $0) }
            callbacks.onError(KafkaError(code: err, message: text, isFatal: err == RD_KAFKA_RESP_ERR__FATAL.rawValue))
        }
        do {
            client = try RDKafkaClient(type: RD_KAFKA_CONSUMER, config: conf)
        } catch {
            box.release()
            throw error
        }
        // Route the main queue (errors, rebalances) into the consumer queue so one
        // batch poll serves everything, for subscriptions and manual assignments.
        rd_kafka_poll_set_consumer(client.handle)
        queue = rd_kafka_queue_get_consumer(client.handle)
        fetchWaker = FetchWaker(client: client)
        self.callbacks = callbacks
        self.callbacksBox = box
    }

    deinit {
        // A running wake-up holds the client; it must finish before the callbacks box goes.
        fetchWaker.cancel()
        fetchWaker.drain()
        rd_kafka_queue_destroy(queue)
        if !isClosed { rd_kafka_consumer_close(client.handle) }
        topicNames.destroyAll()
        // The client (and its callbacks) must be gone before the box is released.
        withExtendedLifetime(client) {}
        callbacksBox.release()
    }

    /// Subscribes to `topics` as a member of `group.id`; assignments arrive during `poll`.
    public func subscribe(topics: [String]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(capacity: topics.count)
        for topic in topics { list.add(topic, RD_KAFKA_PARTITION_UA, offset: TopicPartitionOffset.invalid) }
        try check(rd_kafka_subscribe(client.handle, list.handle), "subscribe \(topics)")
    }

    /// Assigns partitions manually (no group membership). Each offset may be
    /// absolute or `TopicPartitionOffset.beginning` / `.end` / `.stored`.
    public func assign(_ partitions: [TopicPartitionOffset]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(partitions)
        try check(rd_kafka_assign(client.handle, list.handle), "assign")
    }

    /// The current assignment.
    public func assignment() throws(KafkaError) -> [TopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>? = nil
        try check(rd_kafka_assignment(client.handle, &list), "assignment")
        guard let list else { return [] }
        return RDKafkaTopicPartitionList(wrapping: list, owned: true).partitions
    }

    /// Returns up to `maxMessages` records, waiting at most `timeout` for the
    /// first: as soon as one record is there, the call returns it with whatever
    /// else is already queued, as Kafka's `poll` does. Serves rebalance callbacks
    /// and errors on this thread. Consumer errors are never returned as messages:
    /// non-fatal ones go to `onError`, fatal ones are thrown.
    public func poll(maxMessages: Int, timeout: Duration) throws(KafkaError) -> [ConsumerMessage] {
        precondition(maxMessages > 0, "maxMessages must be positive")
        if batch.count < maxMessages { batch = Array(repeating: nil, count: maxMessages) }
        // librdkafka's batch call with a timeout waits until the batch is full or the time is up, so a consumer
        // that drains its queue faster than the fetcher fills it would idle for the whole timeout. Take what is
        // queued; if nothing is, wait for one record, then take what arrived with it.
        let waitMs = timeoutMilliseconds(timeout)
        let n = batch.withUnsafeMutableBufferPointer { buffer -> Int in
            let base = buffer.baseAddress!
            let queued = rd_kafka_consume_batch_queue(queue, 0, base, maxMessages)
            guard queued == 0, waitMs > 0 else { return queued }
            let first = rd_kafka_consume_batch_queue(queue, waitMs, base, 1)
            guard first == 1, maxMessages > 1 else { return first }
            let rest = rd_kafka_consume_batch_queue(queue, 0, base + 1, maxMessages - 1)
            return rest < 0 ? 1 : 1 + rest
        }
        if n < 0 { try check(rd_kafka_last_error(), "consume batch") }
        var messages: [ConsumerMessage] = []
        messages.reserveCapacity(max(0, n))
        for i in 0..<max(0, n) {
            guard let message = batch[i] else { continue }
            defer { rd_kafka_message_destroy(message) }
            if message.pointee.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                handleMessageError(message)
                continue
            }
            messages.append(convert(message))
        }
        wakeStalledFetchersIfDue(lowWater: 2 * maxMessages)
        if let fatal = client.fatalError() { throw fatal }
        return messages
    }

    /// Pauses fetching from `partitions` (they stay assigned).
    public func pause(_ partitions: [TopicPartition]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(partitions)
        try check(rd_kafka_pause_partitions(client.handle, list.handle), "pause")
        try list.checkElementErrors("pause")
    }

    /// Resumes fetching from paused `partitions`.
    public func resume(_ partitions: [TopicPartition]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(partitions)
        try check(rd_kafka_resume_partitions(client.handle, list.handle), "resume")
        try list.checkElementErrors("resume")
    }

    /// Commits `offsets` for `group.id`. Each offset is the NEXT offset to read
    /// (last processed offset + 1). Synchronous unless `async`.
    public func commit(_ offsets: [TopicPartitionOffset], async: Bool = false) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(offsets)
        try check(rd_kafka_commit(client.handle, list.handle, async ? 1 : 0), "commit")
        if !async { try list.checkElementErrors("commit") }
    }

    /// The group's committed offsets for `partitions`; `TopicPartitionOffset.invalid` when none.
    public func committed(_ partitions: [TopicPartition], timeout: Duration) throws(KafkaError) -> [TopicPartitionOffset] {
        let list = RDKafkaTopicPartitionList(partitions)
        try check(rd_kafka_committed(client.handle, list.handle, timeoutMilliseconds(timeout)), "committed")
        try list.checkElementErrors("committed")
        return list.offsets
    }

    /// The next offset this consumer will return for each of `partitions`
    /// (`TopicPartitionOffset.invalid` before anything was consumed).
    public func position(_ partitions: [TopicPartition]) throws(KafkaError) -> [TopicPartitionOffset] {
        let list = RDKafkaTopicPartitionList(partitions)
        try check(rd_kafka_position(client.handle, list.handle), "position")
        return list.offsets
    }

    /// Moves the fetch position of an assigned partition.
    public func seek(_ offset: TopicPartitionOffset, timeout: Duration) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList([offset])
        if let error = rd_kafka_seek_partitions(client.handle, list.handle, timeoutMilliseconds(timeout)) {
            throw KafkaError(consuming: error)
        }
        try list.checkElementErrors("seek")
    }

    /// For each partition, the earliest offset whose timestamp is at or after
    /// the given timestamp (ms), or `TopicPartitionOffset.end` (-1) if none.
    public func offsetsForTimes(
        _ timestamps: [TopicPartition: Int64], timeout: Duration
    ) throws(KafkaError) -> [TopicPartition: Int64] {
        let list = RDKafkaTopicPartitionList(timestamps.map { TopicPartitionOffset($0.key, offset: $0.value) })
        try check(rd_kafka_offsets_for_times(client.handle, list.handle, timeoutMilliseconds(timeout)), "offsetsForTimes")
        try list.checkElementErrors("offsetsForTimes")
        var result: [TopicPartition: Int64] = [:]
        for tpo in list.offsets { result[tpo.topicPartition] = tpo.offset }
        return result
    }

    /// The broker's low (log start) and high (next offset to be written) watermarks.
    public func watermarks(topic: String, partition: Int32, timeout: Duration) throws(KafkaError) -> (low: Int64, high: Int64) {
        var low: Int64 = 0
        var high: Int64 = 0
        try check(
            rd_kafka_query_watermark_offsets(client.handle, topic, partition, &low, &high, timeoutMilliseconds(timeout)),
            "watermarks \(topic)-\(partition)")
        return (low, high)
    }

    /// The watermarks the consumer learned from its latest fetch response for the partition, without a
    /// request to the broker; `nil` before the first fetch response. Cheap enough to call per poll loop.
    public func cachedWatermarks(topic: String, partition: Int32) -> (low: Int64, high: Int64)? {
        var low: Int64 = -1
        var high: Int64 = -1
        let err = rd_kafka_get_watermark_offsets(client.handle, topic, partition, &low, &high)
        return err == RD_KAFKA_RESP_ERR_NO_ERROR && high >= 0 && low >= 0 ? (low, high) : nil
    }

    /// Records fetched and waiting in the consumer's local queue (what the next `poll` can return at once).
    var queuedMessageCount: Int { rd_kafka_queue_length(queue) }

    /// See ``fetchWakeInterval``. Runs once per poll; the assignment and positions are read at most once per
    /// interval, and only when the queue is low.
    private func wakeStalledFetchersIfDue(lowWater: Int) {
        guard let interval = fetchWakeInterval, !isClosed else { return }
        let now = ContinuousClock.now
        if let last = lastFetchWakeCheck, now - last < interval { return }
        guard queuedMessageCount < lowWater else { return }
        lastFetchWakeCheck = now
        guard let assigned = try? assignment(), !assigned.isEmpty, let positions = try? position(assigned) else { return }
        let lagging = positions.filter { entry in
            guard let marks = cachedWatermarks(topic: entry.topic, partition: entry.partition) else { return false }
            // Before anything is returned the position is a logical offset: then the log start stands in for it.
            return marks.high > max(entry.offset, marks.low)
        }
        if !lagging.isEmpty { fetchWaker.wake(lagging.map(\.topicPartition)) }
    }

    /// Leaves the group (running `onRevoked`) and stops fetching. Idempotent;
    /// deinit closes too.
    public func close() throws(KafkaError) {
        guard !isClosed else { return }
        isClosed = true
        fetchWaker.cancel()
        try check(rd_kafka_consumer_close(client.handle), "close")
    }

    private func handleMessageError(_ message: UnsafeMutablePointer<rd_kafka_message_t>) {
        let err = message.pointee.err
        if err == RD_KAFKA_RESP_ERR__PARTITION_EOF { return }
        let text = String(cString: rd_kafka_message_errstr(message))
        var where_ = ""
        if let rkt = message.pointee.rkt { where_ = " on \(topicNames.name(of: rkt, client: client.handle))-\(message.pointee.partition)" }
        callbacks.onError(KafkaError(code: err.rawValue, message: "consumer error\(where_): \(text)"))
    }

    private func convert(_ message: UnsafeMutablePointer<rd_kafka_message_t>) -> ConsumerMessage {
        let m = message.pointee
        let topic = m.rkt.map { topicNames.name(of: $0, client: client.handle) } ?? ""
        let key: [UInt8]? = m.key.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: m.key_len)) }
        let value: [UInt8]? = m.payload.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: m.len)) }
        var tstype = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &tstype)
        var headers: [KafkaHeader] = []
        var hdrs: OpaquePointer? = nil
        if rd_kafka_message_headers(message, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR, let hdrs {
            let count = rd_kafka_header_cnt(hdrs)
            headers.reserveCapacity(count)
            for index in 0..<count {
                var name: UnsafePointer<CChar>? = nil
                var val: UnsafeRawPointer? = nil
                var size = 0
                guard rd_kafka_header_get_all(hdrs, index, &name, &val, &size) == RD_KAFKA_RESP_ERR_NO_ERROR,
                      let name else { continue }
                let bytes = val.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: size)) }
                headers.append(KafkaHeader(key: String(cString: name), value: bytes))
            }
        }
        return ConsumerMessage(
            topic: topic, partition: m.partition, offset: m.offset, key: key, value: value,
            timestamp: timestamp, headers: headers)
    }
}

/// Callback state reachable from librdkafka's C callbacks through the opaque pointer.
final class ConsumerCallbacks {
    private static let logger = Logger(label: "tributary.kafka.consumer")

    var onAssigned: ([TopicPartition]) -> Void
    var onRevoked: ([TopicPartition]) -> Void
    var onError: (KafkaError) -> Void = { error in
        ConsumerCallbacks.logger.warning("\(error)")
    }

    init(onAssigned: @escaping ([TopicPartition]) -> Void, onRevoked: @escaping ([TopicPartition]) -> Void) {
        self.onAssigned = onAssigned
        self.onRevoked = onRevoked
    }

    /// The eager-protocol rebalance: librdkafka requires the callback itself
    /// to apply the new assignment with `rd_kafka_assign`.
    func rebalance(
        _ rk: OpaquePointer, _ err: rd_kafka_resp_err_t,
        _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
    ) {
        let list = partitions.map { RDKafkaTopicPartitionList(wrapping: $0, owned: false).partitions } ?? []
        switch err {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            let result = rd_kafka_assign(rk, partitions)
            if result != RD_KAFKA_RESP_ERR_NO_ERROR {
                onError(KafkaError(code: result.rawValue, message: "rd_kafka_assign in rebalance failed"))
            }
            onAssigned(list)
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            onRevoked(list)
            _ = rd_kafka_assign(rk, nil)
        default:
            onError(KafkaError(code: err.rawValue, message: "rebalance error"))
            _ = rd_kafka_assign(rk, nil)
        }
    }
}

/// Interned topic names by `rd_kafka_topic_t`, so messages share one String per topic.
/// Holds an application reference on each cached handle so a cached pointer
/// cannot be freed and reused for another topic.
struct TopicNameCache {
    private var lastHandle: OpaquePointer? = nil
    private var lastName: String = ""
    private var names: [OpaquePointer: String] = [:]
    private var references: [OpaquePointer] = []

    /// The name of `rkt` (a topic of client `rk`), allocated once per topic handle.
    mutating func name(of rkt: OpaquePointer, client rk: OpaquePointer) -> String {
        if rkt == lastHandle { return lastName }
        let name: String
        if let cached = names[rkt] {
            name = cached
        } else {
            name = String(cString: rd_kafka_topic_name(rkt))
            if let reference = rd_kafka_topic_new(rk, name, nil) { references.append(reference) }
            names[rkt] = name
        }
        lastHandle = rkt
        lastName = name
        return name
    }

    /// Drops every cached name and reference; call before the client is destroyed.
    mutating func destroyAll() {
        for reference in references { rd_kafka_topic_destroy(reference) }
        references.removeAll()
        names.removeAll()
        lastHandle = nil
    }
}
