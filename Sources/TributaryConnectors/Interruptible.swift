import Synchronization

/// A stop flag with an interruptible sleep, shared by a connector's loop and whoever stops it (a signal handler).
final class StopSignal: Sendable {
    private let stopped = Atomic<Bool>(false)

    var isStopped: Bool { stopped.load(ordering: .acquiring) }

    func stop() { stopped.store(true, ordering: .releasing) }

    /// Sleeps for `duration` in slices of at most 50 ms; returns false early if stopped.
    @discardableResult
    func sleep(_ duration: Duration) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + duration
        while !isStopped {
            let left = deadline - clock.now
            if left <= .zero { return true }
            let slice = min(left, .milliseconds(50))
            let nanos = slice.components.seconds * 1_000_000_000 + slice.components.attoseconds / 1_000_000_000
            var request = timespec(tv_sec: Int(nanos / 1_000_000_000), tv_nsec: Int(nanos % 1_000_000_000))
            nanosleep(&request, nil)
        }
        return false
    }
}

/// Paces replayed events at N times real time: an event `t` ms after the first is released `t / speed` ms after
/// the replay started. `speed == nil` means as fast as possible.
struct ReplayPacer {
    let speed: Double?
    private var firstEventTime: Int64?
    private let start = ContinuousClock.now

    init(speed: Double?) {
        self.speed = speed
    }

    /// Waits until `eventTime` is due; returns false if stopped meanwhile.
    mutating func wait(until eventTime: Int64, stop: StopSignal) -> Bool {
        guard let speed else { return !stop.isStopped }
        guard let first = firstEventTime else {
            firstEventTime = eventTime
            return !stop.isStopped
        }
        let due = start + .milliseconds(Int64(Double(max(0, eventTime - first)) / speed))
        let left = due - ContinuousClock.now
        return left > .zero ? stop.sleep(left) : !stop.isStopped
    }
}

#if canImport(Glibc)
import Glibc
#endif
