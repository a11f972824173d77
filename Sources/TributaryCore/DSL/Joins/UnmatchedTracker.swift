/// What both sides of one stream-stream join know about their shared unmatched-records store in one task.
///
/// Invariant: `earliest` is at most the smallest record time in the store (`Int64.max` when it is empty); it may
/// be smaller (entries removed by a match do not raise it), which only costs a scan that emits nothing.
final class UnmatchedTracker {
    var earliest = Int64.max
    /// Whether `earliest` has taken the store's contents at the first use into account.
    var loaded = false
}
