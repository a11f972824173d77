import Testing
import TributaryCore

/// Expected values were computed independently with this Python port of Kafka's `Utils.murmur2`
/// (org.apache.kafka.common.utils.Utils), and agree with the vectors in Kafka's own `UtilsTest.testMurmur2`
/// ("21" → -973932308, "foobar" → -790332482, "abc" → 479470107, ...):
///
/// ```python
/// def murmur2(data):
///     length = len(data); m = 0x5bd1e995; M = 0xffffffff
///     h = (0x9747b28c ^ length) & M
///     for i in range(length // 4):
///         k = data[4*i] | data[4*i+1] << 8 | data[4*i+2] << 16 | data[4*i+3] << 24
///         k = (k * m) & M; k ^= k >> 24; k = (k * m) & M
///         h = (h * m) & M; h ^= k
///     rem = length % 4; b = length & ~3
///     if rem == 3: h ^= data[b+2] << 16
///     if rem >= 2: h ^= data[b+1] << 8
///     if rem >= 1: h ^= data[b]; h = (h * m) & M
///     h ^= h >> 13; h = (h * m) & M; h ^= h >> 15
///     return h                              # unsigned; Kafka's int is h - 2**32 when h >= 2**31
/// partition = (murmur2(key) & 0x7fffffff) % count   # Kafka's Utils.toPositive(murmur2(key)) % count
/// ```
@Suite struct KeyPartitionerTests {
    static let vectors: [(key: [UInt8], signed: Int32, partitionOf4: Int32, partitionOf12: Int32)] = [
        (Array("21".utf8), -973_932_308, 0, 0),
        (Array("foobar".utf8), -790_332_482, 2, 6),
        (Array("a-little-bit-long-string".utf8), -985_981_536, 0, 8),
        (Array("a-little-bit-longer-string".utf8), -1_486_304_829, 3, 11),
        (Array("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8".utf8), -58_897_971, 1, 5),
        (Array("abc".utf8), 479_470_107, 3, 3),
        ([], 275_646_681, 1, 9),
        (Array("a".utf8), -1_563_381_124, 0, 4),
        (Array("abcd".utf8), -1_323_649_548, 0, 8),
        ([0xFF, 0x80, 0x00], -616_959_190, 2, 10),  // bytes above 0x7f are unsigned, as Java masks with 0xff
        (Array("Störfix".utf8), 1_906_641_427, 3, 7),
    ]

    @Test(arguments: vectors.indices)
    func murmur2MatchesKafka(index: Int) {
        let vector = Self.vectors[index]
        #expect(Int32(bitPattern: KeyPartitioner.murmur2(vector.key)) == vector.signed)
    }

    @Test(arguments: vectors.indices)
    func partitionIsThePositiveHashModuloTheCount(index: Int) {
        let vector = Self.vectors[index]
        #expect(KeyPartitioner.partition(key: vector.key, count: 4) == vector.partitionOf4)
        #expect(KeyPartitioner.partition(key: vector.key, count: 12) == vector.partitionOf12)
        #expect(KeyPartitioner.partition(key: vector.key, count: 1) == 0)
    }

    @Test func keysUsedByOtherTestsLandOnTheirDocumentedPartitions() {
        // enwiki: murmur2 = 1338253941, dewiki = 2715282280, wikidatawiki = 3087528659 (same Python).
        #expect(KeyPartitioner.murmur2(Array("enwiki".utf8)) == 1_338_253_941)
        #expect(KeyPartitioner.murmur2(Array("dewiki".utf8)) == 2_715_282_280)
        #expect(KeyPartitioner.murmur2(Array("wikidatawiki".utf8)) == 3_087_528_659)
        let partitions = ["a", "enwiki", "foobar", "abc"].map { KeyPartitioner.partition(key: Array($0.utf8), count: 4) }
        #expect(partitions == [0, 1, 2, 3])
    }

    @Test func nullKeysAndNonPositiveCountsGoToPartitionZero() {
        #expect(KeyPartitioner.partition(key: nil, count: 8) == 0)
        #expect(KeyPartitioner.partition(key: Array("foobar".utf8), count: 0) == 0)
    }
}
