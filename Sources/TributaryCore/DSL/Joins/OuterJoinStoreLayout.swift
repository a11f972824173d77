/// The key layout of a stream-stream join's shared "unmatched records" store (Kafka's KIP-633 outer store):
/// `[record time: 8 bytes, ``OrderedKeyEncoding`` time][side: 1 byte, 0 left / 1 right][escaped join key]`.
///
/// Entries therefore sort by time first, so the records whose join window closed are a prefix of the store.
/// The value is a ``RecordValueList`` of that side's unmatched values with that key and time, in arrival order.
package enum OuterJoinStoreLayout {
    package static func encode(time: Int64, side: JoinSide, key: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(key.count + 11)
        OrderedKeyEncoding.appendTime(time, to: &bytes)
        bytes.append(side.rawValue)
        OrderedKeyEncoding.appendKey(key, to: &bytes)
        return bytes
    }

    package static func decode(_ bytes: [UInt8]) -> (time: Int64, side: JoinSide, key: [UInt8])? {
        guard bytes.count >= 11, let side = JoinSide(rawValue: bytes[8]),
            let (key, end) = OrderedKeyEncoding.readKey(bytes, from: 9), end == bytes.count
        else { return nil }
        return (OrderedKeyEncoding.readTime(bytes, at: 0), side, key)
    }
}
