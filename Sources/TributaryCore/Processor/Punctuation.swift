/// Which clock drives a punctuation.
public enum PunctuationType: Sendable, Equatable {
    /// Fires as the task's stream time (the largest record timestamp seen) passes multiples of the interval.
    /// Without new records, stream time stands still and so does this punctuation.
    case streamTime
    /// Fires by the wall clock of the process (or the test driver's manual clock), whether records arrive or not.
    case wallClockTime
}

/// A handle to a scheduled punctuation.
public final class Cancellable {
    private(set) var isCancelled = false

    init() {}

    /// Stops the punctuation; it will not fire again.
    public func cancel() { isCancelled = true }
}

/// A scheduled punctuation, owned by its task.
///
/// Stream-time punctuations are aligned to multiples of the interval since the epoch; wall-clock punctuations
/// start one interval after scheduling. Either fires at most once per check, however far its clock jumped,
/// and the next due time is the first multiple after the current time (missed intervals are skipped).
final class PunctuationSchedule {
    let type: PunctuationType
    let intervalMs: Int64
    let callback: (Int64) throws -> Void
    let handle = Cancellable()
    var nextDue: Int64

    init(type: PunctuationType, intervalMs: Int64, firstDue: Int64, callback: @escaping (Int64) throws -> Void) {
        self.type = type
        self.intervalMs = intervalMs
        self.nextDue = firstDue
        self.callback = callback
    }

    /// Fires once if due at `now`, then moves `nextDue` past `now`.
    func fireIfDue(now: Int64) throws -> Bool {
        guard !handle.isCancelled, now >= nextDue else { return false }
        let missed = (now - nextDue) / intervalMs
        nextDue += (missed + 1) * intervalMs
        try callback(now)
        return true
    }
}
