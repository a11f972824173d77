/// The settings one stream-stream join shares between its two side processors.
struct StreamStreamJoinConfig: Sendable {
    let windows: JoinWindows
    let leftStore: String
    let rightStore: String
    /// The shared unmatched-records store; `nil` for inner joins.
    let outerStore: String?
    /// Whether unmatched left (right) records produce a result when their window closes.
    let emitUnmatchedLeft: Bool
    let emitUnmatchedRight: Bool
    let node: String
    let lateRecords: LateRecordPolicy
}
