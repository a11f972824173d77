extension Serde {
    /// A serde for keys of time-windowed (``TimeWindows``, ``SlidingWindows``) tables.
    ///
    /// Layout: the inner key's bytes followed by the window start as 8 bytes big-endian two's complement.
    /// The end is not written; it is read back as `start + windowSize` (pass the time difference for sliding
    /// windows). The inner key must not serialize to Kafka null.
    public static func windowed<Inner>(_ key: Serde<Inner>, windowSize: Duration) -> Serde<Windowed<Inner>>
    where Value == Windowed<Inner> {
        let sizeMs = windowSize.milliseconds
        return Serde<Windowed<Inner>>(
            serialize: { windowed in
                guard var bytes = try key.serializeOptional(windowed.key) else { throw SerdeError.unexpectedNull }
                appendBigEndian(windowed.window.start, to: &bytes)
                return bytes
            },
            deserialize: { bytes in
                guard bytes.count >= 8 else { throw SerdeError.malformed("a windowed key needs 8 bytes of window start") }
                let start = readBigEndian(bytes, at: bytes.count - 8)
                let inner = try key.deserializeOptional(Array(bytes[..<(bytes.count - 8)]))
                return Windowed(key: inner, window: Window(start: start, end: start + sizeMs))
            })
    }

    /// A serde for keys of session-windowed tables.
    ///
    /// Layout: the inner key's bytes, then the session start, then the session end, each as 8 bytes big-endian
    /// two's complement. The inner key must not serialize to Kafka null.
    public static func sessionWindowed<Inner>(_ key: Serde<Inner>) -> Serde<Windowed<Inner>>
    where Value == Windowed<Inner> {
        Serde<Windowed<Inner>>(
            serialize: { windowed in
                guard var bytes = try key.serializeOptional(windowed.key) else { throw SerdeError.unexpectedNull }
                appendBigEndian(windowed.window.start, to: &bytes)
                appendBigEndian(windowed.window.end, to: &bytes)
                return bytes
            },
            deserialize: { bytes in
                guard bytes.count >= 16 else { throw SerdeError.malformed("a session key needs 16 bytes of window") }
                let start = readBigEndian(bytes, at: bytes.count - 16)
                let end = readBigEndian(bytes, at: bytes.count - 8)
                let inner = try key.deserializeOptional(Array(bytes[..<(bytes.count - 16)]))
                return Windowed(key: inner, window: Window(start: start, end: end))
            })
    }
}

private func appendBigEndian(_ value: Int64, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: UInt64(bitPattern: value).bigEndian) { bytes.append(contentsOf: $0) }
}

private func readBigEndian(_ bytes: [UInt8], at start: Int) -> Int64 {
    var bits: UInt64 = 0
    for index in start..<(start + 8) { bits = bits << 8 | UInt64(bytes[index]) }
    return Int64(bitPattern: bits)
}
