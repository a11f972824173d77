/// A store that records which changelog offsets its data reflects, atomically with that data.
///
/// Keys name changelog partitions (for example `"app-store-changelog-3"`); values are the offset of the next
/// changelog record to apply. Invariant for persistent stores: after ``writeCheckpoint(_:)`` returns, the
/// stored data and the stored checkpoint were written in one atomic write, so after a crash and reopen
/// ``checkpoint()`` returns offsets that exactly describe the stored data, and restoration replays the
/// changelog from those offsets. In-memory stores keep the checkpoint only for their lifetime.
public protocol OffsetCheckpointing: StateStore {
    /// Makes every buffered write durable together with `offsets`, which replace the previous checkpoint.
    func writeCheckpoint(_ offsets: [String: Int64]) throws
    /// The offsets of the last checkpoint written (or found on disk at open); empty when there is none.
    func checkpoint() throws -> [String: Int64]
}
