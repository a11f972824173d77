/// The buffered records of one source partition of a task, in offset order.
final class PartitionQueue {
    let topic: String
    let partition: Int32
    let source: SourceNodeBase
    let slot: Int
    private var records: [RawRecord] = []
    private var headIndex = 0
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

    var isEmpty: Bool { headIndex == records.count }
    var count: Int { records.count - headIndex }
    /// The first buffered record, borrowed in place (reading a field or passing it on copies none of its buffers).
    var head: RawRecord {
        _read { yield records[headIndex] }
    }

    func append(contentsOf batch: consuming [RawRecord]) {
        emptySince = nil
        if isEmpty {
            // Usual case (the previous batch was processed): adopt the batch's storage instead of copying the
            // records, which would retain and release every record's buffers.
            records = batch
            headIndex = 0
            return
        }
        if headIndex > 0 && headIndex >= records.count / 2 {
            records.removeFirst(headIndex)
            headIndex = 0
        }
        records.append(contentsOf: batch)
    }

    func append(_ record: RawRecord) {
        append(contentsOf: [record])
    }

    /// Removes the head record after it was processed or skipped.
    func removeHead() {
        lastTakenOffset = records[headIndex].offset
        headIndex += 1
        preparedTimestamp = nil
        if headIndex == records.count {
            records.removeAll(keepingCapacity: true)
            headIndex = 0
        }
    }

    /// Drops everything buffered (the partition was revoked or the task closes).
    func clear() {
        records.removeAll()
        headIndex = 0
        preparedTimestamp = nil
    }
}
