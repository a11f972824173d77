/// Kafka's default key partitioner: murmur2 of the serialized key, as the Java client and librdkafka's
/// `murmur2_random` partitioner compute it, so Tributary, Kafka Streams and other clients agree on where a key lives.
public enum KeyPartitioner {
    /// The partition of `key` among `count` partitions; keyless records go to partition 0.
    public static func partition(key: [UInt8]?, count: Int) -> Int32 {
        guard let key, count > 0 else { return 0 }
        return Int32(Int(murmur2(key) & 0x7fff_ffff) % count)
    }

    /// 32-bit murmur2 with Kafka's seed.
    public static func murmur2(_ data: [UInt8]) -> UInt32 {
        let seed: UInt32 = 0x9747_b28c
        let m: UInt32 = 0x5bd1_e995
        let r: UInt32 = 24
        let length = data.count
        var h = seed ^ UInt32(truncatingIfNeeded: length)
        var index = 0
        while index + 4 <= length {
            var k = UInt32(data[index]) | UInt32(data[index + 1]) << 8 | UInt32(data[index + 2]) << 16
                | UInt32(data[index + 3]) << 24
            k &*= m
            k ^= k >> r
            k &*= m
            h &*= m
            h ^= k
            index += 4
        }
        let remaining = length - index
        if remaining == 3 { h ^= UInt32(data[index + 2]) << 16 }
        if remaining >= 2 { h ^= UInt32(data[index + 1]) << 8 }
        if remaining >= 1 {
            h ^= UInt32(data[index])
            h &*= m
        }
        h ^= h >> 13
        h &*= m
        h ^= h >> 15
        return h
    }
}
