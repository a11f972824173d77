/// A built processing graph: sources, processors and sinks, cut into sub-topologies.
///
/// A sub-topology is a connected part of the graph; its tasks each own one partition number of all its source
/// topics. Build one with ``StreamsBuilder``; run it with a `StreamsApp` or a `TopologyTestDriver`.
public final class Topology: Sendable {
    /// One connected part of the topology.
    public struct Subtopology: Sendable, Equatable {
        /// Index in ``Topology/subtopologies``, also the first half of its ``TaskID``s.
        public let id: Int
        /// Topics its sources read, sorted.
        public let sourceTopics: [String]
        /// Topics its sinks write, sorted.
        public let sinkTopics: [String]
        /// Its node names, parents before children.
        public let nodeNames: [String]
        /// The state stores its nodes use, sorted.
        public let storeNames: [String]
        /// Aggregations that group by a key computed in this sub-topology. Their results are correct only when
        /// the source topics have one partition, until repartition topics are implemented.
        public let aggregationsNeedingRepartition: [String]
    }

    let nodes: [NodeDefinition]
    let nodesByName: [String: NodeDefinition]
    /// The declared state stores, by name.
    public let stores: [String: StoreSpec]
    /// The sub-topologies, numbered in the order of their first source node.
    public let subtopologies: [Subtopology]
    /// Internal (repartition) topics, named without the application id: the real topic of `name` is
    /// `<application id>-<name>` (see ``topicName(_:applicationID:)``). Sub-topologies list these names as is.
    public let internalTopics: Set<String>
    /// Global stores: each holds all partitions of one topic, read-only for every task. Their topics are not
    /// source topics of any sub-topology; the test driver or the runtime's global state updater fills them.
    public let globalStores: [GlobalStoreSpec]

    init(
        nodes: [NodeDefinition], stores: [String: StoreSpec] = [:], aggregationsNeedingRepartition: [String] = [],
        internalTopics: Set<String> = [], globalStores: [GlobalStoreSpec] = []
    ) throws {
        self.nodes = nodes
        self.internalTopics = internalTopics
        self.globalStores = globalStores
        self.stores = stores
        self.nodesByName = Dictionary(uniqueKeysWithValues: nodes.map { ($0.name, $0) })
        var topicReaders: [String: String] = [:]
        for node in nodes {
            if case .source(let topics) = node.kind {
                for topic in topics {
                    if topicReaders.updateValue(node.name, forKey: topic) != nil { throw TopologyError.topicReadTwice(topic) }
                }
            }
        }
        for global in globalStores where topicReaders[global.topic] != nil { throw TopologyError.topicReadTwice(global.topic) }
        guard !topicReaders.isEmpty else { throw TopologyError.noSources }
        self.subtopologies = Topology.connectedComponents(
            nodes, nodesByName: nodesByName, aggregationsNeedingRepartition: Set(aggregationsNeedingRepartition))
    }

    /// Every topic the topology reads, internal topics named without the application id.
    public var sourceTopics: [String] { subtopologies.flatMap(\.sourceTopics).sorted() }

    /// Every topic the topology writes.
    public var sinkTopics: [String] { Array(Set(subtopologies.flatMap(\.sinkTopics))).sorted() }

    /// Changelog topics of the logged stores, with the sub-topology whose tasks write them (one partition per task).
    public func changelogTopics(applicationID: String) -> [(topic: String, subtopology: Int)] {
        subtopologies.flatMap { subtopology in
            subtopology.storeNames.compactMap { name in
                stores[name].flatMap { $0.logged ? ($0.changelogTopic(applicationID: applicationID), subtopology.id) : nil }
            }
        }
    }

    /// The sub-topology that reads `topic` (an internal topic named without the application id).
    public func subtopology(reading topic: String) -> Subtopology? {
        subtopologies.first { $0.sourceTopics.contains(topic) }
    }

    /// Throws ``TopologyError/repartitionRequired(subtopology:aggregation:partitions:)`` if a sub-topology groups
    /// by a computed key while its sources have more than one partition.
    public func checkPartitioning(partitionCounts: [String: Int]) throws {
        for subtopology in subtopologies {
            let partitions = subtopology.sourceTopics.map { partitionCounts[$0] ?? 1 }.max() ?? 1
            if partitions > 1, let aggregation = subtopology.aggregationsNeedingRepartition.first {
                throw TopologyError.repartitionRequired(
                    subtopology: subtopology.id, aggregation: aggregation, partitions: partitions)
            }
        }
    }

    private static func connectedComponents(
        _ nodes: [NodeDefinition], nodesByName: [String: NodeDefinition], aggregationsNeedingRepartition: Set<String>
    ) -> [Subtopology] {
        var component: [String: Int] = [:]
        var count = 0
        // Co-location links count as edges in both directions.
        var coLocated: [String: [String]] = [:]
        for node in nodes {
            for other in node.coLocatedWith {
                coLocated[node.name, default: []].append(other)
                coLocated[other, default: []].append(node.name)
            }
        }
        for node in nodes where component[node.name] == nil {
            var stack = [node.name]
            component[node.name] = count
            while let name = stack.popLast() {
                guard let current = nodesByName[name] else { continue }
                for next in current.parents + current.children + coLocated[name, default: []] where component[next] == nil {
                    component[next] = count
                    stack.append(next)
                }
            }
            count += 1
        }
        return (0..<count).map { id in
            let members = nodes.filter { component[$0.name] == id }
            var sources: [String] = []
            var sinks: [String] = []
            for node in members {
                switch node.kind {
                case .source(let topics): sources += topics
                case .sink(let topic): sinks.append(topic)
                case .processor: break
                }
            }
            // Builder order already puts parents before children: a node is added after the streams it reads.
            return Subtopology(
                id: id, sourceTopics: sources.sorted(), sinkTopics: Array(Set(sinks)).sorted(),
                nodeNames: members.map(\.name), storeNames: Array(Set(members.flatMap(\.stores))).sorted(),
                aggregationsNeedingRepartition: members.map(\.name).filter(aggregationsNeedingRepartition.contains))
        }
    }
}
