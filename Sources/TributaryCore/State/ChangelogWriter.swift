/// The changelog side of a logged store: collects the store's changelog records and sends the latest one per
/// changelog key, in the order keys were first written, when the task commits or when `maxPending` keys wait.
///
/// This is the write-deduplicating part of Kafka Streams' record cache, for changelogs only: the store itself is
/// written at once (so reads see every write), and processors forward downstream exactly as without it. A key
/// updated n times between two commits costs one changelog record instead of n. Invariant: after
/// ``send()`` returns, every write made so far is with the record collector, in the task's partition.
package final class ChangelogWriter {
    let topic: String
    unowned let task: TaskContext
    private let maxPending: Int
    private var pending: [ByteKey: (value: [UInt8]?, timestamp: Int64)] = [:]
    private var order: [[UInt8]] = []

    init(topic: String, task: TaskContext, maxPending: Int = 10_000) {
        self.topic = topic
        self.task = task
        self.maxPending = max(1, maxPending)
    }

    /// Records that the store now maps `key` (changelog key bytes) to `value` (`nil`: removed).
    func record(_ key: [UInt8], _ value: [UInt8]?) throws {
        if pending.updateValue((value, max(0, task.streamTime)), forKey: ByteKey(key)) == nil { order.append(key) }
        if order.count >= maxPending { try send() }
    }

    /// Sends every pending record to the collector.
    func send() throws {
        guard !order.isEmpty else { return }
        for key in order {
            guard let entry = pending[ByteKey(key)] else { continue }
            try task.collector.send(
                topic: topic, partition: task.taskID.partition, key: key, value: entry.value, timestamp: entry.timestamp,
                headers: [])
        }
        pending.removeAll(keepingCapacity: true)
        order.removeAll(keepingCapacity: true)
    }
}

/// A store wrapper whose changelog records wait in a ``ChangelogWriter`` until the task commits.
package protocol ChangelogBuffering: StateStore {
    /// Sends the pending changelog records (commit step 1).
    func sendPendingChangelog() throws
}
