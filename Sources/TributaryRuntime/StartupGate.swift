import Synchronization

/// Holds back processing in an instance until each of its stream threads has had its first assignment, or until
/// `maxWait` has passed since start.
///
/// Threads join the consumer group one after another, so the first one can be handed every partition and start
/// processing, then lose half of them a moment later when the next one joins. Records processed in between are
/// processed again by the new owner if their commit falls inside the rebalance (a real broker accepts such a
/// commit from the current generation; librdkafka's mock refuses it). Waiting for every thread's first assignment
/// avoids that rebalance-after-start entirely for a single instance. Threads keep polling while they wait.
final class StartupGate: Sendable {
    private let parties: Int
    private let arrived = Atomic<Int>(0)
    private let openAfterMs: Int64

    /// A gate for `parties` threads that opens by itself `maxWait` after `nowMs`.
    init(parties: Int, nowMs: Int64, maxWait: Duration) {
        self.parties = parties
        self.openAfterMs = nowMs + maxWait.milliseconds
    }

    /// Records a thread's first assignment.
    func arrive() { arrived.add(1, ordering: .relaxed) }

    /// Whether processing may start.
    func isOpen(nowMs: Int64) -> Bool {
        arrived.load(ordering: .relaxed) >= parties || nowMs >= openAfterMs
    }
}
