/// What a windowed aggregation does with a late record: one whose window closed (window end + grace <= the
/// task's stream time) before it arrived.
///
/// Late records are always dropped from the aggregate, counted per task (`TopologyTestDriver.lateDroppedCount`)
/// and logged at warning level; this policy says whether they are also kept on a dead-letter topic. A hopping
/// record is late only when every window containing it has closed; otherwise its closed windows are skipped
/// and its open ones updated.
public enum LateRecordPolicy: Sendable, Equatable {
    /// Drop, count and log the record.
    case drop
    /// Also send the original record (key, value, timestamp, headers) to `topic`, with the dead-letter headers
    /// of ``DeadLetterHeaders``; `tributary.error.stage` is `late`.
    case deadLetter(topic: String)
}
