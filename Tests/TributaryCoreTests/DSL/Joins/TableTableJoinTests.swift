import Testing
import TributaryCore
import TributaryTesting

/// Table-table joins: updates and deletes (tombstones) of either side propagate to the materialized result.
@Suite struct TableTableJoinTests {
    private func topology(_ kind: StreamJoinKind) throws -> Topology {
        let builder = StreamsBuilder()
        let left = builder.table("left", key: .string, value: .string, materializedAs: "left-store")
        let right = builder.table("right", key: .string, value: .string, materializedAs: "right-store")
        let joined: KTable<String, String>
        switch kind {
        case .inner:
            joined = left.join(right, named: "tt", materializedAs: "joined", value: .string) { "\($0)+\($1)" }
        case .left:
            joined = left.leftJoin(right, named: "tt", materializedAs: "joined", value: .string) { "\($0)+\($1 ?? "null")" }
        case .outer:
            joined = left.outerJoin(right, named: "tt", materializedAs: "joined", value: .string) {
                "\($0 ?? "null")+\($1 ?? "null")"
            }
        }
        joined.toStream().to("out", key: .string, value: .optional(.string))
        return try builder.build()
    }

    /// The same sequence of updates and deletes for every kind: `a` set on both sides, updated on each, deleted
    /// on the left, then the right; `b` only ever on the right.
    private func run(_ kind: StreamJoinKind) throws -> (changes: [String], store: [String]) {
        let driver = try TopologyTestDriver(try topology(kind), applicationID: "app")
        let left = driver.createInputTopic("left", key: .string, value: .optional(.string))
        let right = driver.createInputTopic("right", key: .string, value: .optional(.string))
        let out = driver.createOutputTopic("out", key: .string, value: .optional(.string))
        try left.pipeInput("a", "L1", timestamp: 1)
        try right.pipeInput("a", "R1", timestamp: 2)
        try left.pipeInput("a", "L2", timestamp: 3)
        try right.pipeInput("b", "RB", timestamp: 4)
        try right.pipeInput("a", "R2", timestamp: 5)
        try left.pipeInput("a", nil, timestamp: 6)
        try right.pipeInput("a", nil, timestamp: 7)
        try left.pipeInput("z", nil, timestamp: 8)  // a delete of a key never seen: nothing anywhere
        let changes = try out.readRecords().map(describeChange)
        let store = try driver.keyValueStore("joined", key: .string, value: .string).map { "\($0.key)=\($0.value)" }
        // The result store's changelog rebuilds it.
        var rebuilt: [String: String] = [:]
        for record in driver.rawRecords("app-joined-changelog") {
            rebuilt[String(decoding: record.key ?? [], as: UTF8.self)] = record.value.map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(rebuilt.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } == store)
        return (changes, store)
    }

    @Test func innerJoinHoldsKeysPresentOnBothSidesAndDeletesWhenEitherSideDeletes() throws {
        let (changes, store) = try run(.inner)
        #expect(changes == ["a=L1+R1@2", "a=L2+R1@3", "a=L2+R2@5", "a=nil@6"])
        #expect(store.isEmpty)
    }

    @Test func leftJoinFollowsTheLeftTableWithNilForAMissingRightValue() throws {
        let (changes, store) = try run(.left)
        #expect(changes == ["a=L1+null@1", "a=L1+R1@2", "a=L2+R1@3", "a=L2+R2@5", "a=nil@6"])
        #expect(store.isEmpty)
    }

    @Test func outerJoinHoldsKeysOfEitherSideUntilBothDelete() throws {
        let (changes, store) = try run(.outer)
        #expect(
            changes == [
                "a=L1+null@1", "a=L1+R1@2", "a=L2+R1@3", "b=null+RB@4", "a=L2+R2@5", "a=null+R2@6", "a=nil@7",
            ])
        #expect(store == ["b=null+RB"])
    }
}
