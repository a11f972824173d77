import Synchronization

/// The live instances of the application, as read from the instances topic: what routing and
/// `/v1/metadata` consult.
///
/// An entry counts as gone when its `updatedMs` is more than `staleAfterMs` (3 × the refresh interval)
/// before now, or after a tombstone. Thread-safe.
package final class InstanceDirectory: Sendable {
    /// This instance's id.
    package let selfID: String
    /// Age after which an entry no longer counts.
    package let staleAfterMs: Int64
    private let entries = Mutex<[String: InstanceInfo]>([:])

    /// Creates an empty directory for instance `selfID`.
    package init(selfID: String, staleAfterMs: Int64) {
        self.selfID = selfID
        self.staleAfterMs = staleAfterMs
    }

    /// Applies one record of the instances topic: a value replaces the entry of its id, a tombstone removes it.
    /// A value that is not an instance entry is ignored and reported by the thrown error.
    package func apply(key: String, value: [UInt8]?) throws {
        guard let value else {
            entries.withLock { _ = $0.removeValue(forKey: key) }
            return
        }
        let info = try InstanceInfo.decode(value)
        entries.withLock { $0[key] = info }
    }

    /// Records this instance's own latest entry (so routing knows it before the topic echoes it back).
    package func update(_ info: InstanceInfo) {
        entries.withLock { $0[info.id] = info }
    }

    /// Entries updated within `staleAfterMs` of `nowMs`, sorted by id.
    package func live(nowMs: Int64) -> [InstanceInfo] {
        entries.withLock { entries in
            entries.values.filter { nowMs - $0.updatedMs <= staleAfterMs }.sorted { $0.id < $1.id }
        }
    }

    /// The live instance, other than this one, that holds partition `partition` of store `name`: one
    /// where it is running if any, else one restoring it, the most recently updated first.
    package func owner(store name: String, partition: Int, nowMs: Int64) -> InstanceInfo? {
        let holders = live(nowMs: nowMs).filter { $0.id != selfID && $0.holds(store: name, partition: partition) }
        func running(_ info: InstanceInfo) -> Bool {
            info.stores.contains { $0.name == name && $0.state == .running && $0.partitions.contains(partition) }
        }
        return holders.sorted { left, right in
            if running(left) != running(right) { return running(left) }
            return left.updatedMs > right.updatedMs
        }.first
    }

    /// Partitions of each topic in `partitionCounts` that no live instance processes, ascending; topics with
    /// none left out.
    package func uncoveredPartitions(partitionCounts: [String: Int], nowMs: Int64) -> [String: [Int]] {
        let instances = live(nowMs: nowMs)
        var uncovered: [String: [Int]] = [:]
        for (topic, count) in partitionCounts {
            let covered = Set(instances.flatMap { $0.partitions[topic] ?? [] })
            let missing = (0..<count).filter { !covered.contains($0) }
            if !missing.isEmpty { uncovered[topic] = missing }
        }
        return uncovered
    }
}
