import Dispatch
import Synchronization

/// Runs the query server's tasks on serial Dispatch queues of their own instead of Swift's cooperative pool.
///
/// Stream threads, tests and callers of the synchronous ``QueryServer/start()`` may block cooperative threads
/// (there are as many as cores, and on Linux they are Dispatch's global worker threads, which also serve
/// concurrent queues); the server must still answer then. Serial queues run on overcommitting threads, which
/// Dispatch starts even when every worker is blocked, so jobs spread round-robin over a few of them always run.
final class QueryExecutor: TaskExecutor, Sendable {
    private let queues: [DispatchQueue]
    private let next = Atomic<Int>(0)

    init(label: String, width: Int = 4) {
        queues = (0..<max(1, width)).map { DispatchQueue(label: "\(label)-\($0)") }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let index = next.add(1, ordering: .relaxed).newValue % queues.count
        queues[index].async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
