import Foundation
import Synchronization
import TributaryKafka

/// Resets an application so that restarting its instances recomputes state and outputs from a point in its inputs
/// (`tributary replay`).
///
/// ``plan()`` checks that no instance is alive and computes, without changing anything, for every input partition
/// the committed offset now and the one to commit, the internal topics to invalidate and the local state to clear.
/// ``execute(_:)`` then, in this order: joins the application's consumer group and checks it is the only member
/// holding the input partitions (so no instance started since the plan); invalidates the internal topics (deletes
/// them, or where the broker cannot delete topics, advances the generation of internal topic names recorded in
/// `<app>-generation`, see ``InternalTopicGeneration``); commits the new input offsets as that member and leaves
/// the group; removes `<state dir>/<app>`. Only this machine's state directory is cleared: run replay (or delete
/// `<state dir>/<app>`) on every machine that ran an instance.
package final class ApplicationReplay {
    /// Where the input offsets go.
    package enum Target: Equatable, Sendable {
        /// Each partition's log start.
        case earliest
        /// The first offset whose record timestamp is at or after this wall-clock time (ms since the epoch).
        case timestamp(Int64)
    }

    /// What a replay does; ``description`` prints it.
    package struct Plan: CustomStringConvertible, Sendable {
        /// One input partition's reset.
        package struct Reset: Equatable, Sendable {
            package var topic: String
            package var partition: Int32
            /// The committed offset now; `nil` when the group has none.
            package var current: Int64?
            package var new: Int64
        }

        package var applicationID: String
        package var target: Target
        package var resets: [Reset]
        /// The current internal topics (repartition and changelog) of the application.
        package var internalTopics: [String]
        /// The generation of internal topic names now.
        package var generation: Int
        /// `<state dir>/<app>` and whether it exists.
        package var stateDirectory: String
        package var stateDirectoryExists: Bool
        /// How liveness and offsets were determined (fallbacks the broker forced are named here).
        package var notes: [String]

        package var description: String {
            var lines = ["replay plan for application '\(applicationID)' (consumer group '\(applicationID)'):"]
            for note in notes { lines.append("  note: \(note)") }
            switch target {
            case .earliest: lines.append("  input offsets (to the earliest offset), current -> new:")
            case .timestamp(let ms):
                lines.append("  input offsets (to the first record at or after \(ApplicationReplay.format(ms))), current -> new:")
            }
            for reset in resets {
                lines.append("    \(reset.topic)-\(reset.partition): \(reset.current.map(String.init) ?? "none") -> \(reset.new)")
            }
            if internalTopics.isEmpty {
                lines.append("  internal topics: none")
            } else {
                lines.append(
                    "  internal topics: delete \(internalTopics.joined(separator: ", ")); where the broker cannot "
                        + "delete topics, switch to generation \(generation + 1) "
                        + "('\(InternalTopicGeneration.prefix(applicationID: applicationID, generation: generation + 1))-...', "
                        + "recorded in '\(InternalTopicGeneration.topic(applicationID: applicationID))')")
            }
            lines.append(
                "  local state: remove \(stateDirectory)" + (stateDirectoryExists ? "" : " (absent here)")
                    + "; do the same on every other machine that ran an instance")
            return lines.joined(separator: "\n")
        }
    }

    package let applicationID: String
    package let bootstrapServers: String
    package let target: Target
    /// Input topics to reset; `nil`: every topic the group has committed offsets for, internal ones excluded.
    package let topics: [String]?
    package let stateDirectory: String
    /// Bounds each broker request that may go unanswered (DescribeGroups, DeleteTopics on the mock).
    package var requestTimeout: Duration = .seconds(5)
    /// How long joining the group may take before replay gives up.
    package var joinTimeout: Duration = .seconds(60)
    private let admin: KafkaAdmin
    /// The brokers are librdkafka's mock cluster: DescribeGroups and DeleteTopics are not sent (see
    /// `KafkaAdmin.isMockCluster(timeout:)`) and count as unsupported.
    private let isMockCluster: Bool

    package init(
        applicationID: String, bootstrapServers: String, target: Target, topics: [String]?, stateDirectory: String
    ) throws {
        self.applicationID = applicationID
        self.bootstrapServers = bootstrapServers
        self.target = target
        self.topics = topics
        self.stateDirectory = stateDirectory
        admin = try KafkaAdmin(config: ["bootstrap.servers": bootstrapServers])
        isMockCluster = admin.isMockCluster(timeout: .seconds(10))
    }

    private func unsupportedOnMock(_ request: String) throws {
        if isMockCluster {
            throw KafkaError(code: KafkaError.Code.unsupportedFeature, message: "the mock cluster does not implement \(request)")
        }
    }

    /// Checks that no instance is alive and computes the plan; changes nothing.
    package func plan() throws -> Plan {
        let metadata: ClusterMetadata
        do {
            metadata = try admin.metadata(timeout: .seconds(10))
        } catch {
            throw StreamsAppError.clusterUnreachable(bootstrapServers: bootstrapServers, underlying: error)
        }
        var notes = try checkNoInstanceAlive(metadata: metadata)
        let generationTopic = InternalTopicGeneration.topic(applicationID: applicationID)
        let generation = try metadata.topic(named: generationTopic).map {
            try InternalTopicGeneration.read(
                applicationID: applicationID, bootstrapServers: bootstrapServers, partitions: $0.partitionCount)
        } ?? 0
        let prefix = InternalTopicGeneration.prefix(applicationID: applicationID, generation: generation)
        let internalTopics = metadata.topics.map(\.name).filter {
            $0.hasPrefix(prefix + "-") && ($0.hasSuffix("-repartition") || $0.hasSuffix("-changelog"))
        }.sorted()
        let inputs = try inputPartitions(metadata: metadata)
        let reader = try KafkaConsumer(config: [
            "bootstrap.servers": bootstrapServers, "group.id": applicationID, "enable.partition.eof": "false",
        ])
        defer { try? reader.close() }
        let committed = try reader.committed(inputs, timeout: .seconds(30))
        let currents = Dictionary(committed.map { ($0.topicPartition, $0.offset) }, uniquingKeysWith: { first, _ in first })
        var newOffsets: [TopicPartition: Int64] = [:]
        switch target {
        case .earliest:
            for partition in inputs {
                newOffsets[partition] = try reader.watermarks(
                    topic: partition.topic, partition: partition.partition, timeout: .seconds(10)).low
            }
        case .timestamp(let ms):
            let (offsets, note) = try offsetsAtOrAfter(ms, partitions: inputs)
            newOffsets = offsets
            if let note { notes.append(note) }
        }
        let resets = inputs.map { partition in
            Plan.Reset(
                topic: partition.topic, partition: partition.partition,
                current: currents[partition].flatMap { $0 >= 0 ? $0 : nil }, new: newOffsets[partition]!)
        }
        let directory = (stateDirectory as NSString).appendingPathComponent(applicationID)
        return Plan(
            applicationID: applicationID, target: target, resets: resets, internalTopics: internalTopics,
            generation: generation, stateDirectory: directory,
            stateDirectoryExists: FileManager.default.fileExists(atPath: directory), notes: notes)
    }

    /// Carries out `plan` (see the type's documentation for the order); returns a line per step done.
    package func execute(_ plan: Plan) throws -> [String] {
        var done: [String] = []
        let member = try joinAsOnlyMember(plan.resets.map { TopicPartition(topic: $0.topic, partition: $0.partition) })
        defer { try? member.close() }
        done.append("joined consumer group '\(applicationID)' as its only member")
        if !plan.internalTopics.isEmpty {
            let deletion: Result<Void, any Error> = Result {
                try unsupportedOnMock("DeleteTopics")
                try admin.deleteTopics(plan.internalTopics, timeout: requestTimeout)
            }
            switch deletion {
            case .success:
                done.append("deleted internal topics \(plan.internalTopics.joined(separator: ", "))")
            case .failure(let error):
                guard (error as? KafkaError)?.code == KafkaError.Code.unsupportedFeature else { throw error }
                try InternalTopicGeneration.write(
                    plan.generation + 1, applicationID: applicationID, bootstrapServers: bootstrapServers)
                let prefix = InternalTopicGeneration.prefix(applicationID: applicationID, generation: plan.generation + 1)
                done.append(
                    "the broker cannot delete topics: internal topics are now generation \(plan.generation + 1) "
                        + "('\(prefix)-...'); the old ones are no longer read and can be deleted by hand")
            }
        }
        try member.commit(plan.resets.map { TopicPartitionOffset(topic: $0.topic, partition: $0.partition, offset: $0.new) })
        try member.close()
        done.append("committed \(plan.resets.count) input offsets and left the group")
        if FileManager.default.fileExists(atPath: plan.stateDirectory) {
            try FileManager.default.removeItem(atPath: plan.stateDirectory)
            done.append("removed \(plan.stateDirectory)")
        }
        return done
    }

    /// Throws ``ReplayError/applicationAlive(_:)`` when the group has members or the instances topic holds a live
    /// entry; returns notes on checks the broker could not answer.
    private func checkNoInstanceAlive(metadata: ClusterMetadata) throws -> [String] {
        var notes: [String] = []
        var alive: [String] = []
        let description: Result<ConsumerGroupDescription, any Error> = Result {
            try unsupportedOnMock("DescribeGroups")
            return try admin.describeConsumerGroup(applicationID, timeout: requestTimeout)
        }
        switch description {
        case .success(let group):
            alive += group.members.map { "group member \($0.clientID) (\($0.memberID)) from \($0.host)" }
            notes.append("consumer group '\(applicationID)' is \(group.state) with \(group.members.count) members")
        case .failure(let error):
            guard (error as? KafkaError)?.code == KafkaError.Code.unsupportedFeature else { throw error }
            notes.append(
                "the broker does not describe consumer groups (DescribeGroups); liveness is checked through the "
                    + "instances topic, and when replaying by joining the group and requiring every input partition")
        }
        let reader = InstancesTopicReader(applicationID: applicationID, bootstrapServers: bootstrapServers)
        let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
        for entry in try reader.liveEntries(metadata: metadata, nowMs: nowMs) {
            alive.append(
                "instance \(entry.id) (\(entry.state), endpoint \(entry.endpoint ?? "none"), announced "
                    + "\(Double(nowMs - entry.updatedMs) / 1000) s ago in '\(InstancesTopicReader.topic(applicationID: applicationID))')")
        }
        if !alive.isEmpty { throw ReplayError.applicationAlive(applicationID: applicationID, evidence: alive) }
        return notes
    }

    /// The input partitions: of ``topics``, or of every topic the group has committed offsets for.
    private func inputPartitions(metadata: ClusterMetadata) throws -> [TopicPartition] {
        var names: [String]
        if let topics {
            for topic in topics where metadata.topic(named: topic).map({ $0.errorCode != 0 || $0.partitionCount == 0 }) ?? true {
                throw ReplayError.unknownTopic(topic)
            }
            names = topics
        } else {
            names = metadata.topics.map(\.name).filter { !$0.hasPrefix("__") && !$0.hasPrefix(applicationID + "-") }
        }
        var partitions = names.sorted().flatMap { name in
            (0..<Int32(metadata.topic(named: name)!.partitionCount)).map { TopicPartition(topic: name, partition: $0) }
        }
        if topics == nil {
            let reader = try KafkaConsumer(config: ["bootstrap.servers": bootstrapServers, "group.id": applicationID])
            defer { try? reader.close() }
            let committedTopics = Set(try reader.committed(partitions, timeout: .seconds(30)).filter { $0.offset >= 0 }.map(\.topic))
            partitions = partitions.filter { committedTopics.contains($0.topic) }
            if partitions.isEmpty { throw ReplayError.noCommittedInputs(applicationID: applicationID) }
        }
        return partitions
    }

    /// The first offset at or after `ms` in each partition (the high watermark when every record is earlier), and a
    /// note when the broker's answer to ListOffsets by timestamp had to be replaced by a binary search.
    private func offsetsAtOrAfter(_ ms: Int64, partitions: [TopicPartition]) throws -> ([TopicPartition: Int64], String?) {
        let consumer = try KafkaConsumer(config: [
            "bootstrap.servers": bootstrapServers, "group.id": "\(applicationID)-replay-\(UUID().uuidString)",
            "enable.partition.eof": "false", "fetch.wait.max.ms": "50",
        ])
        defer { try? consumer.close() }
        let answers = try consumer.offsetsForTimes(Dictionary(uniqueKeysWithValues: partitions.map { ($0, ms) }), timeout: .seconds(30))
        var result: [TopicPartition: Int64] = [:]
        var searched: [String] = []
        for partition in partitions {
            let marks = try consumer.watermarks(topic: partition.topic, partition: partition.partition, timeout: .seconds(10))
            if let answer = answers[partition], answer >= 0 {
                result[partition] = answer
                continue
            }
            // "No record at or after ms" is right only if the last record is earlier; brokers that do not implement
            // ListOffsets by timestamp (the librdkafka mock) answer so for every time.
            guard marks.high > marks.low, try recordTimestamp(consumer, partition, offset: marks.high - 1).timestamp >= ms
            else {
                result[partition] = marks.high
                continue
            }
            var low = marks.low
            var high = marks.high - 1  // its record is at or after ms
            while low < high {
                let middle = low + (high - low) / 2
                let found = try recordTimestamp(consumer, partition, offset: middle)
                if found.timestamp >= ms { high = min(middle, found.offset) } else { low = found.offset + 1 }
            }
            result[partition] = low
            searched.append("\(partition.topic)-\(partition.partition)")
        }
        let note = searched.isEmpty ? nil
            : "the broker did not answer ListOffsets by timestamp for \(searched.joined(separator: ", ")); the offsets "
                + "were found by binary search over record timestamps, which assumes they do not decrease within a partition"
        return (result, note)
    }

    /// The offset and timestamp of the first record at or after `offset` (compaction may have removed `offset`).
    private func recordTimestamp(_ consumer: KafkaConsumer, _ partition: TopicPartition, offset: Int64) throws
        -> (offset: Int64, timestamp: Int64)
    {
        try consumer.assign([TopicPartitionOffset(partition, offset: offset)])
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            for message in try consumer.poll(maxMessages: 1, timeout: .milliseconds(200))
            where message.topic == partition.topic && message.partition == partition.partition && message.offset >= offset {
                return (message.offset, message.timestamp)
            }
        }
        throw ReplayError.fetchTimedOut(topic: partition.topic, partition: partition.partition, offset: offset)
    }

    /// Joins the group and waits until this consumer holds every one of `partitions`; throws
    /// ``ReplayError/applicationAlive(_:)`` when another member keeps some of them.
    private func joinAsOnlyMember(_ partitions: [TopicPartition]) throws -> KafkaConsumer {
        // The latest assignment, `nil` before the first (which may be empty when another member holds everything).
        let assigned = Mutex<Set<TopicPartition>?>(nil)
        let consumer = try KafkaConsumer(
            config: [
                "bootstrap.servers": bootstrapServers, "group.id": applicationID,
                "client.id": "\(applicationID)-replay", "enable.partition.eof": "false",
                // Should replay die while a member, the group is free again after 6 s (the brokers' minimum).
                "session.timeout.ms": "6000", "heartbeat.interval.ms": "500",
            ],
            onAssigned: { list in assigned.withLock { $0 = Set(list) } },
            onRevoked: { _ in assigned.withLock { $0 = [] } })
        try consumer.subscribe(topics: Array(Set(partitions.map(\.topic))).sorted())
        let wanted = Set(partitions)
        let deadline = ContinuousClock.now + joinTimeout
        var firstAssignment: ContinuousClock.Instant?
        while ContinuousClock.now < deadline {
            // Records fetched meanwhile are ignored: nothing is committed but the plan's offsets.
            _ = try consumer.poll(maxMessages: 100, timeout: .milliseconds(200))
            guard let held = assigned.withLock({ $0 }) else { continue }
            if held.isSuperset(of: wanted) { return consumer }
            do {
                firstAssignment = firstAssignment ?? ContinuousClock.now
                // Assignments settle within a rebalance; a member still missing partitions then shares the group.
                if ContinuousClock.now - firstAssignment! > .seconds(5) {
                    try? consumer.close()
                    let missing = wanted.subtracting(held).sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
                    throw ReplayError.applicationAlive(
                        applicationID: applicationID,
                        evidence: ["another member of group '\(applicationID)' holds "
                            + missing.map { "\($0.topic)-\($0.partition)" }.joined(separator: ", ")])
                }
            }
        }
        try? consumer.close()
        throw ReplayError.joinTimedOut(applicationID: applicationID)
    }

    static func format(_ ms: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}
