import Foundation
import TributaryKafka

/// Reads the instances topic `<applicationID>-instances` (compacted, 1 partition), where every running instance
/// announces itself: key = instance id, value = a JSON object with at least `id`, `endpoint`, `state` and
/// `updatedMs`, refreshed every 5 s by default; a clean shutdown writes a tombstone (null value).
///
/// An entry is live while its `updatedMs` is at most 3 refresh intervals old (15 s by default); older entries
/// belong to instances that died without their tombstone. This reader takes only what liveness checks need;
/// the writer and the full entry live with the query port.
package struct InstancesTopicReader {
    /// One instance's latest announcement.
    package struct Entry: Equatable, Sendable {
        /// The instance id (the record key).
        package var id: String
        /// The advertised query endpoint `host:port`, if any.
        package var endpoint: String?
        /// `starting`, `restoring`, `running` or `stopping`.
        package var state: String
        /// Wall-clock ms of the announcement.
        package var updatedMs: Int64
    }

    /// `<applicationID>-instances`.
    package static func topic(applicationID: String) -> String { "\(applicationID)-instances" }

    package let applicationID: String
    package let bootstrapServers: String
    /// How often instances refresh their entry; an entry older than 3 intervals is gone.
    package var refreshInterval: Duration = .seconds(5)

    package init(applicationID: String, bootstrapServers: String) {
        self.applicationID = applicationID
        self.bootstrapServers = bootstrapServers
    }

    /// The latest entry of every instance without a tombstone, by id; `[:]` when the topic does not exist.
    /// Throws ``InstancesTopicError`` for a value that is not an instance entry.
    package func latestEntries(metadata: ClusterMetadata) throws -> [String: Entry] {
        let topic = Self.topic(applicationID: applicationID)
        guard let found = metadata.topic(named: topic), found.errorCode == 0, found.partitionCount > 0 else { return [:] }
        var entries: [String: Entry] = [:]
        for message in try TopicReader.readAll(
            topic: topic, partitions: found.partitionCount, bootstrapServers: bootstrapServers)
        {
            guard let key = message.key else { continue }
            let id = String(decoding: key, as: UTF8.self)
            guard let value = message.value else {
                entries.removeValue(forKey: id)
                continue
            }
            entries[id] = try Self.decode(value, id: id, topic: topic, offset: message.offset)
        }
        return entries
    }

    /// The entries that are live at `nowMs`, sorted by id.
    package func liveEntries(metadata: ClusterMetadata, nowMs: Int64) throws -> [Entry] {
        let maxAge = 3 * (refreshInterval.components.seconds * 1000 + refreshInterval.components.attoseconds / 1_000_000_000_000_000)
        return try latestEntries(metadata: metadata).values.filter { nowMs - $0.updatedMs <= maxAge }.sorted { $0.id < $1.id }
    }

    static func decode(_ value: [UInt8], id: String, topic: String, offset: Int64) throws -> Entry {
        guard let object = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any],
            let state = object["state"] as? String, let updated = object["updatedMs"] as? NSNumber
        else {
            throw InstancesTopicError.badEntry(topic: topic, offset: offset, key: id)
        }
        return Entry(
            id: (object["id"] as? String) ?? id, endpoint: object["endpoint"] as? String, state: state,
            updatedMs: updated.int64Value)
    }
}

/// A record of the instances topic that is not an instance entry.
package enum InstancesTopicError: Error, CustomStringConvertible {
    case badEntry(topic: String, offset: Int64, key: String)

    package var description: String {
        switch self {
        case .badEntry(let topic, let offset, let key):
            "'\(topic)' offset \(offset) (key '\(key)') is not an instance entry: a JSON object with string 'state' "
                + "and integer 'updatedMs' is expected; the topic is written only by Tributary instances"
        }
    }
}
