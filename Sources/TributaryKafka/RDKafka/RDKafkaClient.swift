internal import CRdKafka

/// Owns an `rd_kafka_t`; deinit destroys it.
/// `@unchecked Sendable`: the handle never changes, and librdkafka's client API is thread-safe.
final class RDKafkaClient: @unchecked Sendable {
    /// The client handle; valid for the lifetime of this object.
    let handle: OpaquePointer

    /// Creates a client of `type` from `config`, which is consumed on success.
    init(type: rd_kafka_type_t, config: RDKafkaConfig) throws(KafkaError) {
        var errstr = [CChar](repeating: 0, count: 512)
        let conf = config.take()
        guard let rk = rd_kafka_new(type, conf, &errstr, errstr.count) else {
            if let conf { rd_kafka_conf_destroy(conf) }
            let text = errstr.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw KafkaError(code: KafkaError.Code.invalidArgument, message: "rd_kafka_new failed: \(text)")
        }
        handle = rk
    }

    deinit {
        rd_kafka_destroy(handle)
    }

    /// The client's fatal error, if it raised one.
    func fatalError() -> KafkaError? {
        var errstr = [CChar](repeating: 0, count: 512)
        let err = rd_kafka_fatal_error(handle, &errstr, errstr.count)
        guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        let text = errstr.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return KafkaError(code: err.rawValue, message: text, isFatal: true)
    }
}

/// Converts a Swift `Duration` to librdkafka's millisecond timeout, clamped to `Int32`.
func timeoutMilliseconds(_ duration: Duration) -> Int32 {
    let (seconds, attoseconds) = duration.components
    let ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
    return Int32(clamping: max(0, ms))
}

/// Throws `KafkaError` for a non-zero `rd_kafka_resp_err_t`.
func check(_ err: rd_kafka_resp_err_t, _ context: @autoclosure () -> String) throws(KafkaError) {
    guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { return }
    let base = String(cString: rd_kafka_err2str(err))
    throw KafkaError(code: err.rawValue, message: "\(context()): \(base)")
}
