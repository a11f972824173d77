internal import CRdKafka
import Logging

/// Owns an `rd_kafka_conf_t` until it is handed to `RDKafkaClient`.
final class RDKafkaConfig {
    /// The configuration; nil once ownership moved to a client.
    private(set) var handle: OpaquePointer?

    /// Creates a configuration with `entries` applied in key order.
    init(_ entries: [String: String]) throws(KafkaError) {
        handle = rd_kafka_conf_new()
        // librdkafka's own log lines go through swift-log instead of raw lines on stderr.
        rd_kafka_conf_set_log_cb(handle) { client, level, facility, message in
            let logger = Logger(label: "librdkafka")
            let text = "\(client.map { String(cString: rd_kafka_name($0)) } ?? "-") "
                + "\(facility.map { String(cString: $0) } ?? ""): \(message.map { String(cString: $0) } ?? "")"
            switch level {
            case ...2: logger.critical("\(text)")
            case 3: logger.error("\(text)")
            case 4: logger.warning("\(text)")
            case 5: logger.notice("\(text)")
            case 6: logger.info("\(text)")
            default: logger.debug("\(text)")
            }
        }
        for (key, value) in entries.sorted(by: { $0.key < $1.key }) {
            try set(key, value)
        }
    }

    deinit {
        if let handle { rd_kafka_conf_destroy(handle) }
    }

    /// Sets one property; unknown keys and invalid values throw `_INVALID_ARG`.
    func set(_ key: String, _ value: String) throws(KafkaError) {
        var errstr = [CChar](repeating: 0, count: 512)
        let result = rd_kafka_conf_set(handle, key, value, &errstr, errstr.count)
        if result != RD_KAFKA_CONF_OK {
            let text = errstr.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw KafkaError(code: KafkaError.Code.invalidArgument, message: "config \(key)=\(value): \(text)")
        }
    }

    /// Gives up ownership (the caller passes it to `rd_kafka_new`, which takes it on success).
    func take() -> OpaquePointer? {
        defer { handle = nil }
        return handle
    }
}
