import Testing
import TributaryCore
import TributaryQuery

/// The instances topic's value format and the codec of keys and values.
struct InstanceInfoTests {
    @Test func entriesAreJSONWithSortedKeysAndExplicitNulls() throws {
        let info = InstanceInfo(
            id: "i1", endpoint: nil, mode: .group, partitionSet: nil, partitions: ["words": [0, 2]],
            stores: [.init(name: "counts", type: .keyValue, partitions: [0, 2], state: .running)], state: .running,
            lag: 3, updatedMs: 1_767_225_600_000)
        let text = String(decoding: try info.jsonBytes(), as: UTF8.self)
        #expect(text == #"{"endpoint":null,"id":"i1","lag":3,"mode":"group","partitionSet":null,"partitions":{"words":[0,2]},"#
            + #""state":"running","stores":[{"name":"counts","partitions":[0,2],"state":"running","type":"keyValue"}],"#
            + #""updatedMs":1767225600000}"#)
        #expect(try InstanceInfo.decode(info.jsonBytes()) == info)
    }

    @Test func tombstonesRemoveEntriesAndStaleOnesAreNotLive() throws {
        let directory = InstanceDirectory(selfID: "me", staleAfterMs: 15_000)
        var info = InstanceInfo(
            id: "x", endpoint: "h:1", mode: .partitionSet, partitionSet: [1], partitions: ["t": [1]],
            stores: [.init(name: "s", type: .keyValue, partitions: [1], state: .running)], state: .running, lag: 0,
            updatedMs: 100_000)
        try directory.apply(key: "x", value: info.jsonBytes())
        #expect(directory.live(nowMs: 115_000).map(\.id) == ["x"])
        #expect(directory.live(nowMs: 115_001).isEmpty)
        #expect(directory.owner(store: "s", partition: 1, nowMs: 110_000)?.id == "x")
        #expect(directory.uncoveredPartitions(partitionCounts: ["t": 3], nowMs: 110_000) == ["t": [0, 2]])
        try directory.apply(key: "x", value: nil)
        #expect(directory.live(nowMs: 100_000).isEmpty)
        info.id = "y"
        #expect(throws: (any Error).self) { try directory.apply(key: "y", value: Array("not json".utf8)) }
    }

    @Test(arguments: [
        (SerdeFormat.string, "héllo", Array("héllo".utf8)),
        (.int64, "-2", [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]),
        (.json, #"{"a":1}"#, Array(#"{"a":1}"#.utf8)),
        (.bytes, "AP8", [0x00, 0xff]),
        (.opaque, "AP8=", [0x00, 0xff]),
    ])
    func keysAreDecodedByTheStoresKeyFormat(format: SerdeFormat, text: String, bytes: [UInt8]) throws {
        #expect(try QueryCodec.keyBytes(text, format: format, store: "s") == bytes)
    }

    @Test func malformedKeysSayHowToWriteThem() {
        #expect(throws: QueryError.self) { try QueryCodec.keyBytes("forty", format: .int64, store: "s") }
        do {
            _ = try QueryCodec.keyBytes("forty", format: .int64, store: "s")
        } catch {
            #expect(error.status == 400)
            #expect(error.message.contains("written in decimal"))
        }
        #expect(throws: QueryError.self) { try QueryCodec.keyBytes("{", format: .json, store: "s") }
        #expect(throws: QueryError.self) { try QueryCodec.keyBytes("!!", format: .bytes, store: "s") }
    }

    @Test func valuesRenderAsJSONByFormat() {
        #expect(QueryCodec.json(Array("a\"b".utf8), format: .string) == #""a\"b""#)
        #expect(QueryCodec.json([0, 0, 0, 0, 0, 0, 0, 42], format: .int64) == "42")
        #expect(QueryCodec.json(Array(#"{"x":[1]}"#.utf8), format: .json) == #"{"x":[1]}"#)
        #expect(QueryCodec.json([0, 255], format: .opaque) == #""AP8=""#)
        #expect(QueryCodec.json(withUnsafeBytes(of: (2.5).bitPattern.bigEndian) { Array($0) }, format: .double) == "2.5")
    }
}
