/// Formats of ``Topology/describe(format:)``.
public enum TopologyDescriptionFormat: String, Sendable, CaseIterable {
    /// Kafka Streams' `Topology#describe()` text layout.
    case text
    /// Graphviz DOT: `dot -Tsvg topology.dot > topology.svg`.
    case dot
    /// A Mermaid flowchart, which GitHub renders in Markdown.
    case mermaid
}

extension Topology {
    /// The topology as text, Graphviz DOT or Mermaid. Node names are the explicit or deterministic names the
    /// builder gave, so the output is stable for a given program.
    public func describe(format: TopologyDescriptionFormat = .text) -> String {
        switch format {
        case .text: describeText()
        case .dot: describeDOT()
        case .mermaid: describeMermaid()
        }
    }

    private func describeText() -> String {
        var lines = ["Topologies:"]
        for subtopology in subtopologies {
            lines.append("   Sub-topology: \(subtopology.id)")
            for name in subtopology.nodeNames {
                guard let node = nodesByName[name] else { continue }
                switch node.kind {
                case .source(let topics): lines.append("    Source: \(name) (topics: [\(topics.joined(separator: ", "))])")
                case .processor: lines.append("    Processor: \(name) (stores: [\(node.stores.joined(separator: ", "))])")
                case .sink(let topic): lines.append("    Sink: \(name) (topic: \(topic))")
                }
                if case .sink = node.kind {
                    // Sinks have no successors; Kafka Streams prints only their predecessors.
                } else {
                    lines.append("      --> " + (node.children.isEmpty ? "none" : node.children.joined(separator: ", ")))
                }
                if !node.parents.isEmpty { lines.append("      <-- " + node.parents.joined(separator: ", ")) }
            }
        }
        // Global stores, as Kafka Streams prints them: a source and the processor that fills the store.
        for (offset, global) in globalStores.enumerated() {
            lines.append("   Sub-topology: \(subtopologies.count + offset) for global store (will not generate tasks)")
            lines.append("    Source: \(global.name)-source (topics: [\(global.topic)])")
            lines.append("      --> \(global.name)")
            lines.append("    Processor: \(global.name) (stores: [\(global.name)])")
            lines.append("      --> none")
            lines.append("      <-- \(global.name)-source")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func describeDOT() -> String {
        func quoted(_ text: String) -> String {
            "\"" + text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
        }
        var lines = ["digraph topology {", "  rankdir=LR;", "  node [fontname=\"Helvetica\"];"]
        for subtopology in subtopologies {
            lines.append("  subgraph cluster_\(subtopology.id) {")
            lines.append("    label=\(quoted("Sub-topology \(subtopology.id)"));")
            for name in subtopology.nodeNames {
                guard let node = nodesByName[name] else { continue }
                let shape = node.kind == .processor ? "box" : "box, style=rounded"
                lines.append("    \(quoted(name)) [shape=\(shape)];")
            }
            lines.append("  }")
        }
        for edge in graphEdges() { lines.append("  \(quoted(edge.from)) -> \(quoted(edge.to));") }
        for topic in graphTopics() {
            lines.append("  \(quoted(Self.topicNodeID(topic))) [label=\(quoted(topic)), shape=cylinder];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private func describeMermaid() -> String {
        var ids: [String: String] = [:]
        func id(_ key: String) -> String {
            if let existing = ids[key] { return existing }
            let new = "n\(ids.count)"
            ids[key] = new
            return new
        }
        func label(_ text: String) -> String { text.replacing("\"", with: "#quot;") }
        var lines = ["flowchart LR"]
        for subtopology in subtopologies {
            lines.append("  subgraph sub\(subtopology.id)[\"Sub-topology \(subtopology.id)\"]")
            for name in subtopology.nodeNames { lines.append("    \(id(name))[\"\(label(name))\"]") }
            lines.append("  end")
        }
        for edge in graphEdges() { lines.append("  \(id(edge.from)) --> \(id(edge.to))") }
        for topic in graphTopics() { lines.append("  \(id(Self.topicNodeID(topic)))[(\"\(label(topic))\")]") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Graph node id of a topic in DOT and Mermaid output; the prefix keeps a topic apart from a node of the
    /// same name.
    private static func topicNodeID(_ topic: String) -> String { "topic:" + topic }

    /// Edges of the drawn graph, in node order: topic -> source, node -> child, sink -> topic.
    private func graphEdges() -> [(from: String, to: String)] {
        var edges: [(from: String, to: String)] = []
        for node in nodes {
            switch node.kind {
            case .source(let topics): edges += topics.map { (Self.topicNodeID($0), node.name) }
            case .sink(let topic): edges.append((node.name, Self.topicNodeID(topic)))
            case .processor: break
            }
            edges += node.children.map { (node.name, $0) }
        }
        return edges
    }

    /// Every topic the graph reads or writes, sorted.
    private func graphTopics() -> [String] {
        Set(nodes.flatMap { node -> [String] in
            switch node.kind {
            case .source(let topics): topics
            case .sink(let topic): [topic]
            case .processor: []
            }
        }).sorted()
    }
}
