import Testing
import TributaryCore
import TributaryTesting

/// Co-partitioning of join inputs, and timestamp-synchronised processing of a join over two topics.
@Suite struct JoinPartitioningTests {
    let windows = JoinWindows.ofTimeDifferenceAndGrace(ms(5), ms(2))

    @Test func aStreamStreamJoinOfTopicsWithDifferentPartitionCountsIsRefusedNamingThem() throws {
        let error = #expect(throws: TopologyError.self) {
            _ = try TopologyTestDriver(try streamJoinTopology(.inner, windows: windows), partitions: ["left": 2, "right": 3])
        }
        #expect(error == .notCopartitioned(subtopology: 0, partitions: ["left": 2, "right": 3]))
        #expect(error?.description.contains("left: 2, right: 3") == true)
    }

    @Test func aStreamTableJoinOfTopicsWithDifferentPartitionCountsIsRefused() throws {
        let builder = StreamsBuilder()
        let table = builder.table("customers", key: .string, value: .string, materializedAs: "customers-store")
        builder.stream("orders", key: .string, value: .string).join(table) { "\($0)/\($1)" }
            .to("out", key: .string, value: .string)
        let error = #expect(throws: TopologyError.self) {
            _ = try TopologyTestDriver(try builder.build(), partitions: ["orders": 4, "customers": 1])
        }
        #expect(error == .notCopartitioned(subtopology: 0, partitions: ["customers": 1, "orders": 4]))
    }

    @Test func aJoinAfterAKeyChangeWithoutARepartitionIsRefusedOnSeveralPartitions() throws {
        let builder = StreamsBuilder()
        let left = builder.stream("left", key: .string, value: .string).selectKey { _, value in String(value.prefix(1)) }
        let right = builder.stream("right", key: .string, value: .string)
        left.join(right, windows: windows, named: "lr", key: .string, value: .string, otherValue: .string) { "\($0)+\($1)" }
            .to("out", key: .string, value: .string)
        let topology = try builder.build()
        let error = #expect(throws: TopologyError.self) {
            _ = try TopologyTestDriver(topology, partitions: ["left": 2, "right": 2])
        }
        #expect(error == .repartitionRequired(subtopology: 0, aggregation: "lr-left", partitions: 2))
        // With one partition per topic every key meets in the one task: allowed.
        _ = try TopologyTestDriver(topology)
    }

    @Test func aJoinAfterAKeyChangeRepartitionsBothSidesThroughNamedTopics() throws {
        let builder = StreamsBuilder()
        let left = builder.stream("left", key: .string, value: .string)
            .selectKey { _, value in String(value.prefix(1)) }
            .repartition(named: "left-by-initial", key: .string, value: .string)
        let right = builder.stream("right", key: .string, value: .string)
        left.join(right, windows: windows, named: "lr", key: .string, value: .string, otherValue: .string) { "\($0)+\($1)" }
            .to("out", key: .string, value: .string)
        let topology = try builder.build()
        let driver = try TopologyTestDriver(topology, applicationID: "app", partitions: ["left": 3, "right": 2, "out": 2])
        // The join's sub-topology reads the repartition topic and `right`: the repartition topic gets right's
        // 2 partitions (not its writer's 3 tasks), so one key's records of both sides meet in one task.
        #expect(topology.taskCounts(externalPartitionCounts: ["left": 3, "right": 2]) == [3, 2])
        let input = driver.createInputTopic("left", key: .string, value: .string)
        let other = driver.createInputTopic("right", key: .string, value: .string)
        let out = driver.createOutputTopic("out", key: .string, value: .string)
        try other.pipeInput("x", "X", timestamp: 10)
        try input.pipeInput("k1", "xylophone", timestamp: 11)
        try other.pipeInput("y", "Y", timestamp: 12)
        try input.pipeInput("k2", "yak", timestamp: 13)
        #expect(try out.readRecords().map(describeJoin) == ["xylophone+X@11", "yak+Y@13"])
    }

    /// Left records a@1, b@5, a@20 and right records a@3, a@22, b@30, through an outer join (|Δt| <= 5, grace 2).
    private let leftRecords: [(String, String, Int64)] = [("a", "L1", 1), ("b", "L5", 5), ("a", "L20", 20)]
    private let rightRecords: [(String, String, Int64)] = [("a", "R3", 3), ("a", "R22", 22), ("b", "R30", 30)]

    @Test func aJoinOverTwoTopicsGivesTheTimestampOrderResultWhateverTheArrivalOrder() throws {
        // Reference: records piped one by one in timestamp order.
        let reference = try TopologyTestDriver(try streamJoinTopology(.outer, windows: windows))
        let all = (leftRecords.map { ("left", $0) } + rightRecords.map { ("right", $0) }).sorted { $0.1.2 < $1.1.2 }
        for (topic, record) in all {
            try reference.createInputTopic(topic, key: .string, value: .string).pipeInput(record.0, record.1, timestamp: record.2)
        }
        let expected = try reference.createOutputTopic("out", key: .string, value: .string).readRecords().map(describeJoin)
        // By hand: L1+R3 (|2|), L20+R22 (|2|); L5 unmatched (closes at > 5 + 5 + 2), R30 still open at the end.
        #expect(expected == ["L1+R3@3", "L5+null@5", "L20+R22@22"])

        // Every right record arrives before every left record; with maxTaskIdle the task still takes them in
        // timestamp order, waiting while one topic is empty.
        for arrival in [rightRecords.map { ("right", $0) } + leftRecords.map { ("left", $0) },
                        leftRecords.map { ("left", $0) } + rightRecords.map { ("right", $0) }] {
            let driver = try TopologyTestDriver(try streamJoinTopology(.outer, windows: windows), maxTaskIdle: ms(50))
            for (topic, record) in arrival {
                try driver.createInputTopic(topic, key: .string, value: .string).pipeInput(record.0, record.1, timestamp: record.2)
            }
            try driver.advanceWallClockTime(by: ms(50))
            let output = try driver.createOutputTopic("out", key: .string, value: .string).readRecords().map(describeJoin)
            #expect(output == expected)
            #expect(driver.lateDroppedCount == 0)
        }

        // Without the rule (no maxTaskIdle: each record is processed on arrival), left-first arrival makes the
        // right records at 3 and 22 late against stream time 20: the result differs.
        let unsynchronised = try TopologyTestDriver(try streamJoinTopology(.outer, windows: windows))
        for (topic, record) in leftRecords.map({ ("left", $0) }) + rightRecords.map({ ("right", $0) }) {
            try unsynchronised.createInputTopic(topic, key: .string, value: .string)
                .pipeInput(record.0, record.1, timestamp: record.2)
        }
        #expect(try unsynchronised.createOutputTopic("out", key: .string, value: .string).readRecords().map(describeJoin) != expected)
        #expect(unsynchronised.lateDroppedCount == 1)
    }
}
