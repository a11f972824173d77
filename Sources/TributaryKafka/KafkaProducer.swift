internal import CRdKafka
import Synchronization

/// A Kafka producer on librdkafka.
///
/// Defaults (each overridable through `config`): `enable.idempotence=true`
/// and `partitioner=murmur2_random`, which hashes keys like the Java client
/// so keyed records land on the same partitions as Kafka Streams would put them.
///
/// Delivery is asynchronous: `send` enqueues, and failed deliveries are
/// recorded by the delivery-report callback and surfaced by `flush(timeout:)`,
/// `poll()` and `pollDeliveryErrors()`.
///
/// `@unchecked Sendable`: `rd_kafka_t` is thread-safe for produce/poll/flush,
/// delivery errors sit behind a `Mutex`, and the single-entry topic cache is
/// guarded by a `Mutex` too. `close()` must not race with other calls.
public final class KafkaProducer: @unchecked Sendable {
    private let client: RDKafkaClient
    private let reports: DeliveryReports
    private let reportsBox: Unmanaged<DeliveryReports>
    private let topics = Mutex(TopicHandleCache())
    private let closed = Atomic<Bool>(false)

    /// Creates a producer; `config` uses librdkafka property names.
    public init(config: [String: String]) throws(KafkaError) {
        var entries = config
        if entries["enable.idempotence"] == nil { entries["enable.idempotence"] = "true" }
        if entries["partitioner"] == nil { entries["partitioner"] = "murmur2_random" }
        let conf = try RDKafkaConfig(entries)
        let reports = DeliveryReports()
        let box = Unmanaged.passRetained(reports)
        rd_kafka_conf_set_opaque(conf.handle, box.toOpaque())
        rd_kafka_conf_set_dr_msg_cb(conf.handle) { _, message, opaque in
            guard let message, let opaque else { return }
            let reports = Unmanaged<DeliveryReports>.fromOpaque(opaque).takeUnretainedValue()
            guard message.pointee.err != RD_KAFKA_RESP_ERR_NO_ERROR else {
                if let rkt = message.pointee.rkt {
                    reports.delivered(topic: UInt(bitPattern: rkt), partition: message.pointee.partition,
                                      offset: message.pointee.offset)
                }
                return
            }
            let topic = message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? "?"
            let text = String(cString: rd_kafka_message_errstr(message))
            reports.record(KafkaError(
                code: message.pointee.err.rawValue,
                message: "delivery to \(topic)-\(message.pointee.partition) failed: \(text)"))
        }
        do {
            client = try RDKafkaClient(type: RD_KAFKA_PRODUCER, config: conf)
        } catch {
            box.release()
            throw error
        }
        self.reports = reports
        self.reportsBox = box
    }

    deinit {
        topics.withLock { $0.destroyAll() }
        // The client (and its callbacks) must be gone before the box is released.
        withExtendedLifetime(client) {}
        reportsBox.release()
    }

    /// Enqueues one record. Returns once librdkafka has copied it; delivery
    /// completes asynchronously. When the local queue is full this serves
    /// delivery reports and retries instead of failing.
    ///
    /// - Parameters:
    ///   - partition: an explicit partition, or `nil` to use the partitioner.
    ///   - timestamp: milliseconds since the epoch, or `nil` for the current time.
    public func send(
        topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8]?,
        timestamp: Int64? = nil, headers: [KafkaHeader] = []
    ) throws(KafkaError) {
        precondition(!closed.load(ordering: .relaxed), "KafkaProducer.send after close()")
        let rkt = try topicHandle(topic)
        let part = partition ?? RD_KAFKA_PARTITION_UA
        let ts = timestamp ?? 0
        while true {
            var hdrs: OpaquePointer? = nil
            if !headers.isEmpty { hdrs = Self.makeHeaders(headers) }
            let error: OpaquePointer? = withBytes(key) { keyPtr, keyLen in
                withBytes(value) { valuePtr, valueLen in
                    crdkafka_produce(client.handle, rkt, part, keyPtr, keyLen, valuePtr, valueLen, ts, hdrs)
                }
            }
            guard let error else { return }
            if let hdrs { rd_kafka_headers_destroy(hdrs) }
            if rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                rd_kafka_error_destroy(error)
                rd_kafka_poll(client.handle, 10)
                continue
            }
            throw KafkaError(consuming: error)
        }
    }

    /// Serves delivery reports without blocking and returns (and clears) the
    /// delivery errors recorded since the last call.
    public func pollDeliveryErrors() -> [KafkaError] {
        rd_kafka_poll(client.handle, 0)
        return reports.drain()
    }

    /// Serves delivery reports without blocking and throws the first delivery
    /// error recorded since the last call (the others are discarded).
    public func poll() throws(KafkaError) {
        if let first = pollDeliveryErrors().first { throw first }
    }

    /// Waits until every enqueued record is acknowledged or failed; throws the
    /// first delivery error, or `_TIMED_OUT` if records are still outstanding.
    public func flush(timeout: Duration) throws(KafkaError) {
        let err = rd_kafka_flush(client.handle, timeoutMilliseconds(timeout))
        if let first = reports.drain().first { throw first }
        if let fatal = client.fatalError() { throw fatal }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            let pending = rd_kafka_outq_len(client.handle)
            throw KafkaError(code: err.rawValue, message: "flush timed out with \(pending) record(s) outstanding")
        }
    }

    /// Starts recording the highest acknowledged offset of each partition of `topic`, for
    /// ``deliveredOffsets()``. Changelog writers use it to checkpoint their stores.
    public func trackDeliveredOffsets(of topic: String) throws(KafkaError) {
        let handle = try topicHandle(topic)
        reports.track(topic: UInt(bitPattern: handle), name: topic)
    }

    /// The highest acknowledged offset per partition of the topics passed to ``trackDeliveredOffsets(of:)``,
    /// as served by delivery reports so far (call after ``flush(timeout:)`` to cover every record sent).
    public func deliveredOffsets() -> [TopicPartition: Int64] { reports.deliveredOffsets() }

    /// The number of records (and requests) not yet acknowledged.
    public var outstandingCount: Int { Int(rd_kafka_outq_len(client.handle)) }

    /// Marks the producer closed: later `send` calls are programming errors.
    /// Records not flushed are dropped when the producer is deallocated;
    /// call `flush(timeout:)` first.
    public func close() {
        closed.store(true, ordering: .relaxed)
    }

    /// Returns the cached `rd_kafka_topic_t` for `name`; the last topic used is
    /// checked first so the steady-state path is one string comparison.
    private func topicHandle(_ name: String) throws(KafkaError) -> OpaquePointer {
        let result: Result<OpaquePointer, KafkaError> = topics.withLock { cache in
            if let handle = cache.lookup(name) { return .success(handle) }
            guard let handle = rd_kafka_topic_new(client.handle, name, nil) else {
                return .failure(KafkaError(code: rd_kafka_last_error().rawValue, message: "rd_kafka_topic_new(\(name))"))
            }
            cache.insert(name, handle)
            return .success(handle)
        }
        return try result.get()
    }

    private static func makeHeaders(_ headers: [KafkaHeader]) -> OpaquePointer {
        let list = rd_kafka_headers_new(headers.count)!
        for header in headers {
            withBytes(header.value) { ptr, len in
                _ = rd_kafka_header_add(list, header.key, -1, ptr, header.value == nil ? 0 : len)
            }
        }
        return list
    }
}

/// One zero byte, used as the address of empty non-null keys and values so
/// librdkafka does not confuse them with null (a NULL pointer).
nonisolated(unsafe) private var emptyByte: UInt8 = 0

/// Calls `body` with a pointer to `bytes`' storage (NULL for `nil`) and its length.
@inline(__always)
private func withBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawPointer?, Int) -> R) -> R {
    guard let bytes else { return body(nil, 0) }
    return bytes.withUnsafeBufferPointer { buffer in
        if let base = buffer.baseAddress { return body(UnsafeRawPointer(base), buffer.count) }
        return withUnsafePointer(to: &emptyByte) { body(UnsafeRawPointer($0), 0) }
    }
}

/// Delivery failures, and acknowledged offsets of tracked topics, recorded by the `dr_msg_cb` callback.
final class DeliveryReports: Sendable {
    private let errors = Mutex<[KafkaError]>([])
    /// Tracked topic handles (as integers) → topic name, and the highest acknowledged offset per partition.
    private let tracked = Mutex<(names: [UInt: String], offsets: [TopicPartition: Int64])>(([:], [:]))

    /// Starts tracking the topic whose `rd_kafka_topic_t` handle is `topic`.
    func track(topic: UInt, name: String) { tracked.withLock { $0.names[topic] = name } }

    /// Records an acknowledged offset if its topic is tracked.
    func delivered(topic: UInt, partition: Int32, offset: Int64) {
        tracked.withLock { state in
            guard !state.names.isEmpty, let name = state.names[topic] else { return }
            let key = TopicPartition(topic: name, partition: partition)
            if offset > state.offsets[key] ?? -1 { state.offsets[key] = offset }
        }
    }

    /// The highest acknowledged offset per tracked partition.
    func deliveredOffsets() -> [TopicPartition: Int64] { tracked.withLock { $0.offsets } }

    /// Records a failure (called on whichever thread serves delivery reports).
    func record(_ error: KafkaError) { errors.withLock { $0.append(error) } }

    /// Returns and clears the recorded failures.
    func drain() -> [KafkaError] { errors.withLock { e in defer { e.removeAll() }; return e } }
}

/// Topic handles by name, with the most recently used one checked first.
struct TopicHandleCache: ~Copyable {
    private var lastName: String = ""
    private var lastHandle: OpaquePointer? = nil
    private var all: [String: OpaquePointer] = [:]

    /// The handle for `name`, if created before.
    mutating func lookup(_ name: String) -> OpaquePointer? {
        if let lastHandle, name == lastName { return lastHandle }
        guard let handle = all[name] else { return nil }
        lastName = name
        lastHandle = handle
        return handle
    }

    /// Remembers a new handle.
    mutating func insert(_ name: String, _ handle: OpaquePointer) {
        all[name] = handle
        lastName = name
        lastHandle = handle
    }

    /// Releases every handle.
    mutating func destroyAll() {
        for handle in all.values { rd_kafka_topic_destroy(handle) }
        all.removeAll()
        lastHandle = nil
    }
}
