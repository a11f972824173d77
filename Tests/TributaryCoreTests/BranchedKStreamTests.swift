import Testing
import TributaryCore
import TributaryTesting

@Suite struct BranchedKStreamTests {
    static let inputs: [(String, String, Int64)] = [
        ("1", "enwiki", 10), ("2", "dewiki", 20), ("3", "frwiki", 30), ("4", "enwiki", 40), ("5", "dewiki", 50),
    ]

    @Test func splitSendsEachRecordToItsFirstMatchingBranchAndTheRestToTheDefault() throws {
        let builder = StreamsBuilder()
        let branches = builder.stream("in", key: .string, value: .string)
            .split(named: "lang-")
            .branch("en") { _, wiki in wiki == "enwiki" }
            // Also matches enwiki, but the first branch wins.
            .branch("e") { _, wiki in wiki.hasPrefix("e") || wiki.hasPrefix("d") }
            .defaultBranch("other")
        #expect(branches.keys.sorted() == ["lang-e", "lang-en", "lang-other"])
        branches["lang-en"]?.to("en", key: .string, value: .string)
        branches["lang-e"]?.to("e", key: .string, value: .string)
        branches["lang-other"]?.to("other", key: .string, value: .string)

        let driver = try TopologyTestDriver(try builder.build())
        let input = driver.createInputTopic("in", key: .string, value: .string)
        let headers = [Header(key: "h", string: "x")]
        for (key, value, timestamp) in Self.inputs { try input.pipeInput(key, value, timestamp: timestamp, headers: headers) }

        let en = try driver.createOutputTopic("en", key: .string, value: .string).readRecords()
        let e = try driver.createOutputTopic("e", key: .string, value: .string).readRecords()
        let other = try driver.createOutputTopic("other", key: .string, value: .string).readRecs()
        #expect(en.map(\.key) == ["1", "4"])
        #expect(en.map(\.timestamp) == [10, 40])
        #expect(e.map(\.key) == ["2", "5"])
        #expect(e.map(\.value) == ["dewiki", "dewiki"])
        #expect(other == [Rec(key: "3", value: "frwiki", timestamp: 30, headers: headers, partition: 0)])
        #expect((en + e).allSatisfy { $0.headers == headers })
    }

    @Test func noDefaultBranchDropsUnmatchedRecords() throws {
        let builder = StreamsBuilder()
        let branches = builder.stream("in", key: .string, value: .string)
            .split(named: "s-")
            .branch("de") { _, wiki in wiki == "dewiki" }
            .noDefaultBranch()
        #expect(Array(branches.keys) == ["s-de"])
        branches["s-de"]?.to("de", key: .string, value: .string)
        let driver = try TopologyTestDriver(try builder.build())
        let input = driver.createInputTopic("in", key: .string, value: .string)
        for (key, value, timestamp) in Self.inputs { try input.pipeInput(key, value, timestamp: timestamp) }
        #expect(try driver.createOutputTopic("de", key: .string, value: .string).readKeyValues().map(\.0) == ["2", "5"])
        #expect(driver.producedTopicNames == ["de"])
        #expect(driver.failedCount(.processing) == 0)
    }

    @Test func unnamedBranchesAreNumberedFromOneAndTheDefaultIsZero() throws {
        let builder = StreamsBuilder()
        let branches = builder.stream("in", key: .string, value: .string)
            .split(named: "split-")
            .branch { _, value in value == "a" }
            .branch { _, value in value == "b" }
            .defaultBranch()
        #expect(branches.keys.sorted() == ["split-0", "split-1", "split-2"])
        branches["split-1"]?.to("one", key: .string, value: .string)
        branches["split-2"]?.to("two", key: .string, value: .string)
        branches["split-0"]?.to("zero", key: .string, value: .string)
        let driver = try TopologyTestDriver(try builder.build())
        let input = driver.createInputTopic("in", key: .string, value: .string)
        for value in ["b", "c", "a", "b"] { try input.pipeInput("k", value, timestamp: 1) }
        #expect(try driver.createOutputTopic("one", key: .string, value: .string).readValues() == ["a"])
        #expect(try driver.createOutputTopic("two", key: .string, value: .string).readValues() == ["b", "b"])
        #expect(try driver.createOutputTopic("zero", key: .string, value: .string).readValues() == ["c"])
    }

    @Test func branchesCanBeProcessedFurtherAndMergedBack() throws {
        let builder = StreamsBuilder()
        let branches = builder.stream("in", key: .string, value: .string)
            .split(named: "b-")
            .branch("upper") { _, value in value.first?.isUppercase == true }
            .defaultBranch("lower")
        let upper = branches["b-upper"]!.mapValues { $0 + "^" }
        let lower = branches["b-lower"]!.mapValues { $0 + "_" }
        upper.merge(lower).to("out", key: .string, value: .string)
        let driver = try TopologyTestDriver(try builder.build())
        let input = driver.createInputTopic("in", key: .string, value: .string)
        for (index, value) in ["Ab", "cd", "Ef"].enumerated() { try input.pipeInput("k", value, timestamp: Int64(index)) }
        #expect(try driver.createOutputTopic("out", key: .string, value: .string).readValues() == ["Ab^", "cd_", "Ef^"])
    }

    @Test func aThrowingPredicateIsAProcessingErrorOfTheSplitNode() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string)
            .split(named: "check-")
            .branch("ok") { _, value in
                if value == "bad" { throw Boom(reason: "predicate") }
                return true
            }
            .noDefaultBranch()["check-ok"]?.to("ok", key: .string, value: .string)
        let driver = try TopologyTestDriver(
            try builder.build(), errorPolicies: ErrorPolicies(processing: .deadLetter(topic: "dlq")))
        let input = driver.createInputTopic("in", key: .string, value: .string)
        try input.pipeInput("1", "good", timestamp: 1)
        try input.pipeInput("2", "bad", timestamp: 2)
        try input.pipeInput("3", "fine", timestamp: 3)
        #expect(try driver.createOutputTopic("ok", key: .string, value: .string).readValues() == ["good", "fine"])
        let dlq = driver.rawRecords("dlq")
        #expect(dlq.count == 1)
        #expect(dlq.first?.value == utf8("bad"))
        #expect(headerText(dlq.first?.headers ?? [], DeadLetterHeaders.stage) == "processing")
        #expect(headerText(dlq.first?.headers ?? [], DeadLetterHeaders.node) == "check-")
        #expect(headerText(dlq.first?.headers ?? [], DeadLetterHeaders.message) == "boom: predicate")
    }

    @Test
    func anUnnamedSplitUsesTheDocumentedPrefixWithADash() throws {
        let builder = StreamsBuilder()
        let branches = builder.stream("in", key: .string, value: .string).split().branch { _, _ in true }.defaultBranch()
        #expect(branches.keys.sorted() == ["KSTREAM-BRANCH-0000000001-0", "KSTREAM-BRANCH-0000000001-1"])
    }
}
