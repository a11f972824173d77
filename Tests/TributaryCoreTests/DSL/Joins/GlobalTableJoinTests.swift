import Testing
import TributaryCore
import TributaryTesting

/// Stream-global-table joins: every task sees every partition of the global topic.
@Suite struct GlobalTableJoinTests {
    private func topology(left: Bool) throws -> Topology {
        let builder = StreamsBuilder()
        let countries = builder.globalTable("countries", key: .string, value: .string, materializedAs: "gazetteer")
        let events = builder.stream("events", key: .string, value: .string)
        // Event values are "<country code>:<text>"; the lookup key is the country code.
        let code: @Sendable (String, String) -> String = { _, value in String(value.prefix { $0 != ":" }) }
        let joined =
            left
            ? events.leftJoin(countries, named: "geo", keySelector: code) { event, country in "\(event)@\(country ?? "?")" }
            : events.join(countries, named: "geo", keySelector: code) { event, country in "\(event)@\(country)" }
        joined.to("out", key: .string, value: .string)
        return try builder.build()
    }

    @Test func everyPartitionOfTheStreamSeesTheWholeGlobalTable() throws {
        let driver = try TopologyTestDriver(try topology(left: false), partitions: ["events": 3, "countries": 2, "out": 3])
        // The global topic is no source of a sub-topology and needs no co-partitioning: 3 tasks, for `events`.
        #expect(driver.streamTimes.count == 3)
        let countries = driver.createInputTopic("countries", key: .string, value: .optional(.string))
        let events = driver.createInputTopic("events", key: .string, value: .string)
        let out = driver.createOutputTopic("out", key: .string, value: .string)
        try countries.pipeInput("FR", "France", partition: 0)
        try countries.pipeInput("JP", "Japan", partition: 1)
        try events.pipeInput("e1", "FR:quake", timestamp: 1, partition: 2)
        try events.pipeInput("e2", "JP:storm", timestamp: 2, partition: 0)
        try events.pipeInput("e3", "XX:none", timestamp: 3, partition: 1)
        try countries.pipeInput("FR", "République française", partition: 0)
        try countries.pipeInput("JP", nil, partition: 1)  // tombstone
        try events.pipeInput("e4", "FR:flood", timestamp: 4, partition: 1)
        try events.pipeInput("e5", "JP:storm", timestamp: 5, partition: 2)
        #expect(
            try out.readRecords().map { "\($0.key)=\($0.value)" } == [
                "e1=FR:quake@France", "e2=JP:storm@Japan", "e4=FR:flood@République française",
            ])
        #expect(try driver.keyValueStore("gazetteer", key: .string, value: .string).map { "\($0.key)=\($0.value)" } == [
            "FR=République française"
        ])
    }

    @Test func leftJoinKeepsRecordsWhoseKeyIsNotInTheGlobalTable() throws {
        let driver = try TopologyTestDriver(try topology(left: true), partitions: ["events": 2, "out": 2])
        let countries = driver.createInputTopic("countries", key: .string, value: .optional(.string))
        let events = driver.createInputTopic("events", key: .string, value: .string)
        let out = driver.createOutputTopic("out", key: .string, value: .string)
        try countries.pipeInput("FR", "France")
        try events.pipeInput("e1", "FR:quake", timestamp: 1, partition: 1)
        try events.pipeInput("e2", "XX:none", timestamp: 2, partition: 0)
        #expect(try out.readRecords().map(\.value) == ["FR:quake@France", "XX:none@?"])
    }

    @Test func aGlobalTopicCannotAlsoBeAStreamSource() throws {
        let builder = StreamsBuilder()
        _ = builder.globalTable("countries", key: .string, value: .string, materializedAs: "gazetteer")
        builder.stream("countries", key: .string, value: .string).to("out", key: .string, value: .string)
        #expect(throws: TopologyError.topicReadTwice("countries")) { _ = try builder.build() }
    }

    @Test func theGlobalStoreIsDescribedApartFromTheSubTopologies() throws {
        let description = try topology(left: true).describe()
        #expect(description.hasSuffix(
            """
               Sub-topology: 1 for global store (will not generate tasks)
                Source: gazetteer-source (topics: [countries])
                  --> gazetteer
                Processor: gazetteer (stores: [gazetteer])
                  --> none
                  <-- gazetteer-source

            """))
        #expect(try topology(left: true).subtopologies.map(\.sourceTopics) == [["events"]])
    }
}
