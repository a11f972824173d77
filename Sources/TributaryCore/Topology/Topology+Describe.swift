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
                case .processor: lines.append("    Processor: \(name) (stores: [])")
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
        return lines.joined(separator: "\n") + "\n"
    }

    private func describeDOT() -> String {
        func quoted(_ text: String) -> String {
            "\"" + text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
        }
        var lines = ["digraph topology {", "  rankdir=LR;", "  node [fontname=\"Helvetica\"];"]
        var topics = Set<String>()
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
        for node in nodes {
            switch node.kind {
            case .source(let sourceTopics):
                for topic in sourceTopics {
                    topics.insert(topic)
                    lines.append("  \(quoted("topic:" + topic)) -> \(quoted(node.name));")
                }
            case .sink(let topic):
                topics.insert(topic)
                lines.append("  \(quoted(node.name)) -> \(quoted("topic:" + topic));")
            case .processor: break
            }
            for child in node.children { lines.append("  \(quoted(node.name)) -> \(quoted(child));") }
        }
        for topic in topics.sorted() {
            lines.append("  \(quoted("topic:" + topic)) [label=\(quoted(topic)), shape=cylinder];")
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
        var topics = Set<String>()
        for subtopology in subtopologies {
            lines.append("  subgraph sub\(subtopology.id)[\"Sub-topology \(subtopology.id)\"]")
            for name in subtopology.nodeNames { lines.append("    \(id(name))[\"\(label(name))\"]") }
            lines.append("  end")
        }
        for node in nodes {
            switch node.kind {
            case .source(let sourceTopics):
                for topic in sourceTopics {
                    topics.insert(topic)
                    lines.append("  \(id("topic:" + topic)) --> \(id(node.name))")
                }
            case .sink(let topic):
                topics.insert(topic)
                lines.append("  \(id(node.name)) --> \(id("topic:" + topic))")
            case .processor: break
            }
            for child in node.children { lines.append("  \(id(node.name)) --> \(id(child))") }
        }
        for topic in topics.sorted() { lines.append("  \(id("topic:" + topic))[(\"\(label(topic))\")]") }
        return lines.joined(separator: "\n") + "\n"
    }
}
