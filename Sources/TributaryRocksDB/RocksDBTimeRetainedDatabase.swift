import TributaryCore

/// The mechanics window and session stores share: a buffered database whose entries each carry one time
/// (a window's start, a session's end), hidden once older than the retention before the latest time written.
///
/// The latest time is saved under `latestTimeKey` with every commit, so expired entries stay hidden after a
/// reopen. A lower bound on the stored times lets ``expire(before:time:)`` skip its full scan when nothing
/// can be dropped. Buffering, checkpoints and `close()` behave as in ``RocksDBKeyValueBytesStore``.
final class RocksDBTimeRetainedDatabase {
    let database: RocksDBBufferedDatabase
    private(set) var retention: RetentionBoundary
    private let latestTimeKey: String
    /// Buffered keys above which writes are applied without waiting for a checkpoint.
    private let maxBufferedWrites: Int
    /// A lower bound on every stored time: `Int64.min` after open (unknown), `Int64.max` when nothing was
    /// stored since an expire that emptied the store.
    private var oldestStoredTime = Int64.min

    init(path: String, retentionMs: Int64, latestTimeKey: String, resources: RocksDBResources, maxBufferedWrites: Int)
        throws
    {
        database = try RocksDBBufferedDatabase(path: path, resources: resources)
        self.latestTimeKey = latestTimeKey
        self.maxBufferedWrites = max(1, maxBufferedWrites)
        retention = RetentionBoundary(retentionMs: retentionMs, latest: try database.timeMetadata(latestTimeKey))
    }

    /// Writes `value` (nil removes) under `key`, an entry of time `time`; writes to expired times are ignored.
    func write(_ key: [UInt8], time: Int64, _ value: [UInt8]?) throws {
        retention.observe(time)
        guard retention.isLive(time) else { return }
        try database.write(key, value)
        if value != nil { oldestStoredTime = min(oldestStoredTime, time) }
        try commitIfBufferFull()
    }

    /// Buffers deletions of every entry whose time (read from its key by `time`) is before `cutoff`.
    func expire(before cutoff: Int64, time: ([UInt8]) -> Int64) throws {
        guard oldestStoredTime < cutoff else { return }
        var remaining = 0
        for entry in try database.scan(from: nil, to: nil, reverse: false) {
            if time(entry.key) < cutoff {
                try database.write(entry.key, nil)
            } else {
                remaining += 1
            }
        }
        // Every remaining entry's time is at or after `cutoff`.
        oldestStoredTime = remaining == 0 ? .max : cutoff
        try commitIfBufferFull()
    }

    /// Applies buffered writes (without changing the checkpoint) and flushes RocksDB's memtables to disk.
    func flush() throws {
        try database.commit(offsets: nil, metadata: metadata())
        try database.flushMemtables()
    }

    /// Applies buffered writes, the latest time and `offsets` (replacing the previous checkpoint) in one batch.
    func writeCheckpoint(_ offsets: [String: Int64]) throws {
        try database.commit(offsets: offsets, metadata: metadata())
    }

    private func commitIfBufferFull() throws {
        if database.bufferedCount >= maxBufferedWrites { try database.commit(offsets: nil, metadata: metadata()) }
    }

    private func metadata() -> [String: [UInt8]] {
        guard let latest = retention.latest else { return [:] }
        var bytes: [UInt8] = []
        OrderedKeyEncoding.appendTime(latest, to: &bytes)
        return [latestTimeKey: bytes]
    }
}
