import Testing
import TributaryCore
import TributaryTesting

@Suite struct TopologyDescribeTests {
    /// in → src → keep → upper → sink → out, plus a second sub-topology other → src2 → log (a foreach).
    private func namedTopology() throws -> Topology {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string, named: "src")
            .filter(named: "keep") { _, value in !value.isEmpty }
            .mapValues(named: "upper") { $0.uppercased() }
            .to("out", key: .string, value: .string, named: "sink")
        builder.stream("other", key: .string, value: .string, named: "src2")
            .foreach(named: "log") { _, _ in }
        return try builder.build()
    }

    @Test func textDescriptionIsExact() throws {
        let expected = """
            Topologies:
               Sub-topology: 0
                Source: src (topics: [in])
                  --> keep
                Processor: keep (stores: [])
                  --> upper
                  <-- src
                Processor: upper (stores: [])
                  --> sink
                  <-- keep
                Sink: sink (topic: out)
                  <-- upper
               Sub-topology: 1
                Source: src2 (topics: [other])
                  --> log
                Processor: log (stores: [])
                  --> none
                  <-- src2

            """
        let topology = try namedTopology()
        #expect(topology.describe() == expected)
        #expect(topology.describe(format: .text) == expected)
    }

    @Test
    func sinksHaveNoSuccessorLineAsInKafkaStreams() throws {
        // Kafka Streams (TopologyDescription) prints e.g. "Sink: KSTREAM-SINK-0000000004 (topic: out)\n      <-- ...".
        let text = try namedTopology().describe()
        #expect(text.contains("    Sink: sink (topic: out)\n      <-- upper\n"))
    }

    @Test func textDescriptionListsMergeParentsAndSeveralChildren() throws {
        let builder = StreamsBuilder()
        let a = builder.stream("a", "b", key: .string, value: .string, named: "ab")
        let c = builder.stream("c", key: .string, value: .string, named: "c")
        let merged = a.merge(c, named: "m")
        merged.to("x", key: .string, value: .string, named: "to-x")
        merged.to("y", key: .string, value: .string, named: "to-y")
        let text = try builder.build().describe()
        #expect(text.contains("    Source: ab (topics: [a, b])\n      --> m\n"))
        #expect(text.contains("    Processor: m (stores: [])\n      --> to-x, to-y\n      <-- ab, c\n"))
        #expect(!text.contains("Sub-topology: 1"))
    }

    @Test func dotDescriptionIsADigraphWithTopicAndNodeEdges() throws {
        let dot = try namedTopology().describe(format: .dot)
        #expect(dot.hasPrefix("digraph topology {\n"))
        #expect(dot.hasSuffix("}\n"))
        for edge in [
            "\"topic:in\" -> \"src\";", "\"src\" -> \"keep\";", "\"keep\" -> \"upper\";", "\"upper\" -> \"sink\";",
            "\"sink\" -> \"topic:out\";", "\"topic:other\" -> \"src2\";", "\"src2\" -> \"log\";",
        ] {
            #expect(dot.contains("  " + edge + "\n"), "missing edge \(edge)")
        }
        #expect(dot.contains("subgraph cluster_0"))
        #expect(dot.contains("subgraph cluster_1"))
        #expect(dot.contains("\"topic:out\" [label=\"out\", shape=cylinder];"))
        #expect(dot.components(separatedBy: " -> ").count - 1 == 7)
    }

    @Test func dotDescriptionEscapesQuotes() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string, named: "say \"hi\"")
            .to("out", key: .string, value: .string, named: "sink")
        let dot = try builder.build().describe(format: .dot)
        #expect(dot.contains("  \"say \\\"hi\\\"\" -> \"sink\";\n"))
    }

    @Test func mermaidDescriptionIsAFlowchart() throws {
        let mermaid = try namedTopology().describe(format: .mermaid)
        #expect(mermaid.hasPrefix("flowchart LR\n"))
        #expect(mermaid.contains("  subgraph sub0[\"Sub-topology 0\"]\n"))
        // Ids are assigned in first-use order: src n0, keep n1, upper n2, sink n3, src2 n4, log n5, topic:in n6 ...
        #expect(mermaid.contains("    n0[\"src\"]\n"))
        #expect(mermaid.contains("  n0 --> n1\n"))
        #expect(mermaid.contains("  n6 --> n0\n"))
        #expect(mermaid.contains("[(\"out\")]"))
        #expect(mermaid.components(separatedBy: " --> ").count - 1 == 7)
    }

    @Test func unnamedNodesGetKafkaStreamsStyleNames() throws {
        let builder = StreamsBuilder()
        let source = builder.stream("in", key: .string, value: .string)
        let filtered = source.filter { _, _ in true }
        let mapped = filtered.mapValues { $0 }
        mapped.to("out", key: .string, value: .string)
        #expect(source.nodeName == "KSTREAM-SOURCE-0000000000")
        #expect(filtered.nodeName == "KSTREAM-FILTER-0000000001")
        #expect(mapped.nodeName == "KSTREAM-MAPVALUES-0000000002")
        let topology = try builder.build()
        #expect(topology.subtopologies.first?.nodeNames == [
            "KSTREAM-SOURCE-0000000000", "KSTREAM-FILTER-0000000001", "KSTREAM-MAPVALUES-0000000002",
            "KSTREAM-SINK-0000000003",
        ])
        #expect(topology.describe().contains("    Source: KSTREAM-SOURCE-0000000000 (topics: [in])\n      --> KSTREAM-FILTER-0000000001\n"))
    }

    @Test func namedNodesStillAdvanceTheIndex() throws {
        let builder = StreamsBuilder()
        let source = builder.stream("in", key: .string, value: .string, named: "src")
        let peeked = source.peek { _, _ in }
        let keyed = peeked.selectKey(named: "rekey") { key, _ in key }
        let flat = keyed.flatMap { key, value in [(key, value)] }
        #expect(peeked.nodeName == "KSTREAM-PEEK-0000000001")
        #expect(keyed.nodeName == "rekey")
        #expect(flat.nodeName == "KSTREAM-FLATMAP-0000000003")
        #expect(keyed.map { ($0, $1) }.nodeName == "KSTREAM-MAP-0000000004")
        #expect(keyed.flatMapValues { [$0] }.nodeName == "KSTREAM-FLATMAPVALUES-0000000005")
        #expect(keyed.filterNot { _, _ in false }.nodeName == "KSTREAM-FILTER-0000000006")
        #expect(keyed.merge(flat).nodeName == "KSTREAM-MERGE-0000000007")
        #expect(keyed.process { CountingProcessorStrings() }.nodeName == "KSTREAM-PROCESSOR-0000000008")
    }

    @Test func duplicateNamesAreRejected() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string, named: "dup")
            .filter(named: "dup") { _, _ in true }
            .to("out", key: .string, value: .string)
        #expect(throws: TopologyError.duplicateName("dup")) { try builder.build() }
    }

    @Test func aTopicReadTwiceIsRejected() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).to("a", key: .string, value: .string)
        builder.stream("other", "in", key: .string, value: .string).to("b", key: .string, value: .string)
        #expect(throws: TopologyError.topicReadTwice("in")) { try builder.build() }
    }

    @Test func aTopologyWithoutSourcesIsRejected() throws {
        #expect(throws: TopologyError.noSources) { try StreamsBuilder().build() }
    }

    @Test func pipingIntoATopicTheTopologyDoesNotReadThrows() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).to("out", key: .string, value: .string)
        let driver = try TopologyTestDriver(try builder.build())
        #expect(throws: TopologyError.missingSourceTopic("nope")) {
            try driver.createInputTopic("nope", key: .string, value: .string).pipeInput("k", "v", timestamp: 1)
        }
    }

    @Test func sourceAndSinkTopicsAreListed() throws {
        let topology = try namedTopology()
        #expect(topology.sourceTopics == ["in", "other"])
        #expect(topology.sinkTopics == ["out"])
        #expect(topology.subtopology(reading: "other")?.id == 1)
        #expect(topology.subtopology(reading: "out") == nil)
    }
}

/// A pass-through processor used only for naming tests.
final class CountingProcessorStrings: Processor {
    typealias KeyIn = String
    typealias ValueIn = String
    typealias KeyOut = String
    typealias ValueOut = String
    func process(_ record: Record<String, String>) {}
}
