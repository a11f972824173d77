import Testing
import TributaryCore
import TributaryTesting

/// Stream-table joins and tables read from topics, under the test driver.
@Suite struct StreamTableJoinTests {
    /// `orders` (String -> String) joined with the table of `customers`, written to `out`.
    private func topology(left: Bool) throws -> Topology {
        let builder = StreamsBuilder()
        let customers = builder.table("customers", key: .string, value: .string, materializedAs: "customers-store")
        let orders = builder.stream("orders", key: .string, value: .string)
        let joined =
            left
            ? orders.leftJoin(customers, named: "enrich") { order, customer in "\(order)/\(customer ?? "null")" }
            : orders.join(customers, named: "enrich") { order, customer in "\(order)/\(customer)" }
        joined.to("out", key: .string, value: .string)
        return try builder.build()
    }

    @Test func innerJoinLooksUpTheTableAsOfEachRecordAndSkipsAbsentKeys() throws {
        let driver = try TopologyTestDriver(try topology(left: false), applicationID: "app")
        let customers = driver.createInputTopic("customers", key: .string, value: .optional(.string))
        let orders = driver.createInputTopic("orders", key: .string, value: .string)
        let out = driver.createOutputTopic("out", key: .string, value: .string)
        try orders.pipeInput("c1", "o1", timestamp: 1)  // no customer yet
        try customers.pipeInput("c1", "Ada", timestamp: 2)
        try orders.pipeInput("c1", "o2", timestamp: 3)
        try customers.pipeInput("c1", "Ada L.", timestamp: 4)  // table updates emit nothing
        try orders.pipeInput("c1", "o3", timestamp: 5)
        try customers.pipeInput("c1", nil, timestamp: 6)  // tombstone: deleted
        try orders.pipeInput("c1", "o4", timestamp: 7)
        #expect(try out.readRecords().map(describeJoin) == ["o2/Ada@3", "o3/Ada L.@5"])
        // The table is materialized in a changelogged store; the tombstone deleted the key.
        #expect(try driver.keyValueStore("customers-store", key: .string, value: .string).isEmpty)
        let changelog = driver.rawRecords("app-customers-store-changelog")
        #expect(changelog.map { $0.value.map { String(decoding: $0, as: UTF8.self) } ?? "nil" } == ["Ada", "Ada L.", "nil"])
    }

    @Test func leftJoinEmitsEveryRecordWithNilForAnAbsentKey() throws {
        let driver = try TopologyTestDriver(try topology(left: true))
        let customers = driver.createInputTopic("customers", key: .string, value: .optional(.string))
        let orders = driver.createInputTopic("orders", key: .string, value: .string)
        let out = driver.createOutputTopic("out", key: .string, value: .string)
        try orders.pipeInput("c1", "o1", timestamp: 1)
        try customers.pipeInput("c1", "Ada", timestamp: 2)
        try orders.pipeInput("c1", "o2", timestamp: 3)
        try orders.pipeInput("c2", "o3", timestamp: 4)
        try customers.pipeInput("c1", nil, timestamp: 5)
        try orders.pipeInput("c1", "o4", timestamp: 6)
        #expect(try out.readRecords().map(describeJoin) == ["o1/null@1", "o2/Ada@3", "o3/null@4", "o4/null@6"])
    }

    @Test func theStreamAndTheTableTopicRunInOneTaskPerPartitionInTimestampOrder() throws {
        // Pipe order differs from time order; with maxTaskIdle the task takes both topics in time order.
        let driver = try TopologyTestDriver(
            try topology(left: true), partitions: ["orders": 2, "customers": 2, "out": 2], maxTaskIdle: ms(100))
        #expect(driver.streamTimes.count == 2)  // one sub-topology (the join reads the table's store), 2 tasks
        let customers = driver.createInputTopic("customers", key: .string, value: .optional(.string))
        let orders = driver.createInputTopic("orders", key: .string, value: .string)
        let out = driver.createOutputTopic("out", key: .string, value: .string)
        try orders.pipeInput("c1", "o1", timestamp: 1, partition: 0)
        try orders.pipeInput("c1", "o2", timestamp: 5, partition: 0)
        try customers.pipeInput("c1", "Ada", timestamp: 3, partition: 0)
        try customers.pipeInput("c1", "Bob", timestamp: 7, partition: 0)
        try driver.advanceWallClockTime(by: ms(100))
        #expect(try out.readRecords().map(describeJoin) == ["o1/null@1", "o2/Ada@5"])
    }
}
