import Testing
import TributaryCore
import TributaryTesting

@Suite struct SlidingWindowTests {
    /// Sums values per key in sliding windows of 10 ms with 100 ms grace.
    func summing() throws -> Topology {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .int64)
            .groupByKey(key: .string, value: .int64)
            .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(ms(10), ms(100)))
            .reduce(materializedAs: "sums") { $0 + $1 }
            .toStream()
            .to("out", key: .windowed(.string, windowSize: ms(10)), value: .optional(.int64))
        return try builder.build()
    }

    @Test func recordsCreateLeftAndRightWindowsAsInKIP450EvenOutOfOrder() throws {
        let driver = try TopologyTestDriver(try summing())
        let input = driver.createInputTopic("in", key: .string, value: .int64)
        let out = driver.createOutputTopic("out", key: .windowed(.string, windowSize: ms(10)), value: .optional(.int64))
        try input.pipeInput("a", 1, timestamp: 100)
        // Left window [90,100] = {100}; no right window: nothing after 100 yet.
        #expect(try out.readRecords().map(describe) == ["a@90-100=1"])
        try input.pipeInput("a", 2, timestamp: 105)
        // Left window [95,105] = {100,105}; 105 falls in the right window of 100, [101,111] = {105}.
        #expect(try out.readRecords().map(describe) == ["a@95-105=3", "a@101-111=2"])
        try input.pipeInput("a", 4, timestamp: 120)
        // 120 is more than 10 after 105: alone in [110,120]; 105's right window [106,116] stays empty.
        #expect(try out.readRecords().map(describe) == ["a@110-120=4"])
        try input.pipeInput("a", 8, timestamp: 103)
        // Out of order: joins [95,105] and [101,111]; creates its left window [93,103] = {100,103} and its right
        // window [104,114] = {105}.
        #expect(try out.readRecords().map(describe) == ["a@93-103=9", "a@95-105=11", "a@101-111=10", "a@104-114=2"])
        #expect(
            try driver.windowStore("sums", key: .string, value: .int64).map(describe) == [
                "a@90=1", "a@93=9", "a@95=11", "a@101=10", "a@104=2", "a@110=4",
            ])
    }

    @Test func aRecordExactlyTimeDifferenceApartSharesAWindowAndOneMoreDoesNot() throws {
        let driver = try TopologyTestDriver(try summing())
        let input = driver.createInputTopic("in", key: .string, value: .int64)
        try input.pipeInputs([("a", 1, 100), ("a", 2, 110), ("b", 1, 100), ("b", 2, 111)])
        // Both ends are inclusive: [100,110] holds 100 and 110; for b, 111 - 100 = 11 > 10.
        #expect(
            try driver.windowStore("sums", key: .string, value: .int64).map(describe) == [
                "a@90=1", "a@100=3", "a@101=2", "b@90=1", "b@101=2",
            ])
    }
}
