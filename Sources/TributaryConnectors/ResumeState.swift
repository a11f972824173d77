import Foundation

/// The durable resume position of a connector, kept in a small JSON file next to nothing else.
///
/// Why a local file and not a compacted `<topic>.offsets` topic: the embedded cluster (librdkafka's mock)
/// keeps everything in memory, has no compaction and vanishes with the process, so a position kept there could
/// not survive the restart it exists for; a file works the same for the embedded and a real cluster and can be
/// read and reset by hand. The file is replaced atomically (written to a temporary file, synced, renamed), and
/// only after the records it covers were acknowledged by Kafka (producer flush), so a crash can repeat the
/// last unsaved records or batch (at-least-once) but never skip one.
public struct ResumeState: Codable, Equatable, Sendable {
    /// Wikimedia: the SSE id of the last event produced (sent as `Last-Event-ID` on reconnect and restart).
    public var lastEventID: String?
    /// GDELT: the newest batch slot produced, `YYYYMMDDHHMMSS`; batches at or before it are skipped.
    public var lastBatch: String?
    /// The event time of the last record produced (ISO-8601, for people reading the file).
    public var lastEventTime: String?

    /// Creates a state.
    public init(lastEventID: String? = nil, lastBatch: String? = nil, lastEventTime: String? = nil) {
        self.lastEventID = lastEventID
        self.lastBatch = lastBatch
        self.lastEventTime = lastEventTime
    }
}

/// Reads and atomically replaces one ``ResumeState`` file.
public struct ResumeStateFile: Sendable {
    /// The file's path.
    public let path: String

    /// A state file at `path`.
    public init(path: String) {
        self.path = path
    }

    /// The conventional file for a connector and topic in `directory`: `<directory>/<topic>.<connector>.json`.
    public init(directory: String, connector: String, topic: String) {
        self.path = (directory as NSString).appendingPathComponent("\(topic).\(connector).json")
    }

    /// The saved state, or an empty one when the file does not exist.
    /// - Throws: if the file exists but cannot be read or is not a state file (delete it to start over).
    public func load() throws -> ResumeState {
        guard FileManager.default.fileExists(atPath: path) else { return ResumeState() }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONDecoder().decode(ResumeState.self, from: data)
    }

    /// Replaces the file with `state`: temporary file, fsync, rename.
    public func save(_ state: ResumeState) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(state)
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary])
        }
        let fd = open(temporary, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
        guard rename(temporary, path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}
