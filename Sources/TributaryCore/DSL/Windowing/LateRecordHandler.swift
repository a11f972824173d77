/// Drops one late record for a windowed aggregation: counts it on the task, logs it, and dead-letters the
/// original bytes of the input record being processed when the policy says so.
struct LateRecordHandler: Sendable {
    /// The `tributary.error.stage` value of late records on a dead-letter topic.
    static let stage = "late"
    let policy: LateRecordPolicy
    let node: String
    let graceMs: Int64

    func drop(timestamp: Int64, window: Window, task: TaskContext) throws {
        let message =
            "late record at \(timestamp): window [\(window.start), \(window.end)] closed at end + grace "
            + "\(window.end + graceMs) <= stream time \(task.streamTime)"
        try drop(timestamp: timestamp, message: message, task: task)
    }

    /// Drops a late record with `message` as the reason (stream-stream joins, whose rule differs).
    func drop(timestamp: Int64, message: String, task: TaskContext) throws {
        task.lateDropped += 1
        // One line for the first late record of a task and one per 1,000 after it: a replay with skewed inputs
        // can drop many, and the counter (StreamTask counters, TopologyTestDriver.lateDroppedCount) has them all.
        if task.lateDropped == 1 || task.lateDropped % 1_000 == 0 {
            task.logger.warning(
                "dropping late record (\(task.lateDropped) on this task so far)",
                metadata: ["node": "\(node)", "reason": "\(message)"])
        }
        guard case .deadLetter(let topic) = policy, let queue = task.currentQueue, !queue.isEmpty else { return }
        let raw = queue.head
        var headers = raw.headers
        headers.append(Header(key: DeadLetterHeaders.stage, string: Self.stage))
        headers.append(Header(key: DeadLetterHeaders.message, string: message))
        headers.append(Header(key: DeadLetterHeaders.node, string: node))
        headers.append(Header(key: DeadLetterHeaders.topic, string: raw.topic))
        headers.append(Header(key: DeadLetterHeaders.partition, string: String(raw.partition)))
        headers.append(Header(key: DeadLetterHeaders.offset, string: String(raw.offset)))
        try task.collector.send(
            topic: topic, partition: nil, key: raw.key, value: raw.value, timestamp: raw.timestamp, headers: headers)
        task.lateDeadLettered += 1
    }
}
