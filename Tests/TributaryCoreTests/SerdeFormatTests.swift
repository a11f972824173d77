import Testing
import TributaryCore

/// Built-in serdes carry their format, and DSL stores record their key and value formats, which the query port
/// uses to read keys from URLs and values into JSON.
struct SerdeFormatTests {
    struct Point: Codable, Equatable { var x: Int }

    @Test func builtInSerdesCarryTheirFormatAndCustomOnesAreOpaque() {
        #expect(Serde<String>.string.format == .string)
        #expect(Serde<Int64>.int64.format == .int64)
        #expect(Serde<Double>.double.format == .double)
        #expect(Serde<[UInt8]>.bytes.format == .bytes)
        #expect(Serde<Point>.json().format == .json)
        #expect(Serde<String?>.optional(.string).format == .string)
        #expect(Serde<Int64>.int64.map({ $0 * 2 }, { $0 / 2 }).format == .opaque)
        #expect(Serde<String>(serialize: { Array($0.utf8) }, deserialize: { String(decoding: $0, as: UTF8.self) })
            .format == .opaque)
    }

    @Test func dslStoresRecordTheirSerdesFormats() throws {
        let builder = StreamsBuilder()
        let grouped = builder.stream("clicks", key: .string, value: .string).groupByKey(key: .string, value: .string)
        grouped.count(materializedAs: "totals")
        grouped.windowedBy(.ofSizeAndGrace(size: .seconds(60), grace: .seconds(10))).count(materializedAs: "per-minute")
        _ = builder.table("points", key: .int64, value: .json(Point.self), materializedAs: "points-table")
        let stores = try builder.build().stores
        #expect(stores["totals"]?.keyFormat == .string)
        #expect(stores["totals"]?.valueFormat == .int64)
        #expect(stores["per-minute"]?.keyFormat == .string)
        #expect(stores["per-minute"]?.valueFormat == .int64)
        #expect(stores["points-table"]?.keyFormat == .int64)
        #expect(stores["points-table"]?.valueFormat == .json)
        #expect(StoreSpec(name: "custom", kind: .keyValue).keyFormat == .opaque)
    }
}
