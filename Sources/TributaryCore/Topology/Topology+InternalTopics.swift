extension Topology {
    /// The real name of `topic` for `applicationID`: `<application id>-<topic>` for internal topics, else `topic`.
    public func topicName(_ topic: String, applicationID: String) -> String {
        internalTopics.contains(topic) ? "\(applicationID)-\(topic)" : topic
    }

    /// Every topic the topology reads, with internal topics under their real names.
    public func sourceTopics(applicationID: String) -> [String] {
        sourceTopics.map { topicName($0, applicationID: applicationID) }.sorted()
    }

    /// The sub-topology that reads the real topic `topic`.
    public func subtopology(reading topic: String, applicationID: String) -> Subtopology? {
        subtopologies.first { subtopology in
            subtopology.sourceTopics.contains { topicName($0, applicationID: applicationID) == topic }
        }
    }

    /// The number of tasks of each sub-topology, given the partition counts of the external source topics
    /// (topics missing from `partitionCounts` count as one partition). A sub-topology reading a repartition
    /// topic has as many tasks as the largest sub-topology writing it, as in Kafka Streams, unless it also reads
    /// external topics: then it has their partition count, and so do its repartition topics (co-partitioning for
    /// joins).
    public func taskCounts(externalPartitionCounts partitionCounts: [String: Int]) -> [Int] {
        var counts: [Int?] = Array(repeating: nil, count: subtopologies.count)
        func count(_ id: Int, visiting: Set<Int>) -> Int {
            if let known = counts[id] { return known }
            let external = subtopologies[id].sourceTopics.filter { !internalTopics.contains($0) }
            if !external.isEmpty {
                // A sub-topology that also reads external topics (a join or merge after a repartition) is
                // co-partitioned with them: its repartition topics get their partition count.
                let result = external.map { partitionCounts[$0] ?? 1 }.max() ?? 1
                counts[id] = result
                return result
            }
            var result = 1
            for topic in subtopologies[id].sourceTopics {
                if internalTopics.contains(topic) {
                    for writer in subtopologies where writer.sinkTopics.contains(topic) && !visiting.contains(writer.id) {
                        result = max(result, count(writer.id, visiting: visiting.union([id])))
                    }
                } else {
                    result = max(result, partitionCounts[topic] ?? 1)
                }
            }
            counts[id] = result
            return result
        }
        return subtopologies.map { count($0.id, visiting: [$0.id]) }
    }

    /// Changelog topic configuration: compacted; windowed and session changelogs also delete records older than
    /// the store's retention plus one day (as Kafka Streams' `windowstore.changelog.additional.retention.ms`),
    /// since expiring windows from the store writes no tombstones.
    static func changelogConfig(_ kind: StoreKind) -> [String: String] {
        switch kind {
        case .keyValue:
            ["cleanup.policy": "compact"]
        case .window(let retentionMs), .session(let retentionMs):
            ["cleanup.policy": "compact,delete", "retention.ms": String(retentionMs + 86_400_000)]
        }
    }

    /// Internal topics to create for `applicationID` (repartition and changelog topics), with their real names,
    /// partition counts (the tasks of the sub-topology reading or writing them) and topic configuration.
    public func internalTopicSpecs(applicationID: String, externalPartitionCounts: [String: Int])
        -> [(topic: String, partitions: Int, config: [String: String])]
    {
        let tasks = taskCounts(externalPartitionCounts: externalPartitionCounts)
        var specs: [(topic: String, partitions: Int, config: [String: String])] = []
        for subtopology in subtopologies {
            for topic in subtopology.sourceTopics where internalTopics.contains(topic) {
                specs.append((topicName(topic, applicationID: applicationID), tasks[subtopology.id], [
                    "cleanup.policy": "delete", "retention.ms": "-1",
                ]))
            }
        }
        for subtopology in subtopologies {
            for name in subtopology.storeNames {
                guard let spec = stores[name], spec.logged else { continue }
                specs.append((spec.changelogTopic(applicationID: applicationID), tasks[subtopology.id], Self.changelogConfig(spec.kind)))
            }
        }
        return specs
    }
}
