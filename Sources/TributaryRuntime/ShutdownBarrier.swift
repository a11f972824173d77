import Foundation

/// Lets the stream threads of one instance finish their final commits before any of them leaves the group.
///
/// A consumer leaving the group starts a rebalance, and while a group rebalances the coordinator may refuse
/// commits (librdkafka's mock refuses them outright). Without this barrier the last thread to stop would lose
/// its final commit whenever another thread left first, and its records would be processed again on restart.
final class ShutdownBarrier: @unchecked Sendable {
    // All state is guarded by `condition`.
    private let condition = NSCondition()
    private let parties: Int
    private var arrived = 0

    init(parties: Int) { self.parties = parties }

    /// Marks this thread done committing and waits (at most `timeout`) until every thread is.
    func arriveAndWait(timeout: TimeInterval = 10) {
        condition.lock()
        defer { condition.unlock() }
        arrived += 1
        condition.broadcast()
        let deadline = Date().addingTimeInterval(timeout)
        while arrived < parties && condition.wait(until: deadline) {}
    }
}
