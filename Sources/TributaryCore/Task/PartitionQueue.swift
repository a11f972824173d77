/// The buffered records of one source partition of a task, in offset order.
///
/// Records are kept in the batches they arrived in (never copied from one array into another: a copy retains and
/// later releases each record's buffers, and in a batch of thousands those are no longer in the CPU cache).
/// Invariant: no batch in `batches` is empty, and `headIndex` is a valid index of the first batch when there is one.
final class PartitionQueue {
    let topic: String
    let partition: Int32
    let source: SourceNodeBase
    let slot: Int
    private var batches: [[RawRecord]] = []
    private var headIndex = 0
    private(set) var count = 0
    /// Event time of the head record once its source has prepared it; `nil` when the head is not prepared.
    var preparedTimestamp: Int64?
    /// The largest event time taken from this partition.
    var partitionTime = Int64.min
    /// Offset of the last record taken (processed or skipped by an error policy); -1 before the first.
    var lastTakenOffset: Int64 = -1
    /// Wall-clock time at which the queue was last seen empty while the task had other work; reset on data.
    var emptySince: Int64?

    init(topic: String, partition: Int32, source: SourceNodeBase, slot: Int) {
        self.topic = topic
        self.partition = partition
        self.source = source
        self.slot = slot
    }

    var isEmpty: Bool { count == 0 }

    /// The first buffered record, read in place.
    var head: RawRecord {
        _read { yield batches[0][headIndex] }
    }

    /// Runs `body` on the first buffered record in place (passing it on copies none of its buffers).
    func withHead<Result>(_ body: (inout RawRecord) throws -> Result) rethrows -> Result {
        try body(&batches[0][headIndex])
    }

    func append(contentsOf batch: consuming [RawRecord]) {
        let added = batch.count
        guard added > 0 else { return }
        emptySince = nil
        batches.append(batch)
        count += added
    }

    /// Removes the head record after it was processed or skipped.
    func removeHead() {
        lastTakenOffset = batches[0][headIndex].offset
        headIndex += 1
        count -= 1
        preparedTimestamp = nil
        if headIndex == batches[0].count {
            batches.removeFirst()
            headIndex = 0
        }
    }

    /// Drops everything buffered (the partition was revoked or the task closes).
    func clear() {
        batches.removeAll()
        headIndex = 0
        count = 0
        preparedTimestamp = nil
    }
}
