import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Calls a handler on SIGINT or SIGTERM instead of letting the process die, so the program can commit and close.
///
/// The signal handlers are installed with `sigaction` before `init` returns: from then on no SIGINT or SIGTERM is
/// lost. (Dispatch signal sources need the signal ignored first and install their own handler later, on their
/// queue; a signal arriving in between was dropped, and a process told to stop right after it started kept
/// running.) The handler only writes the signal number to a pipe, which is async-signal-safe; a watcher thread,
/// which unblocks both signals for itself, reads the pipe and calls `handler`, one signal at a time. One watcher
/// may exist per process.
package final class SignalWatcher: @unchecked Sendable {
    private static let signals = [SIGINT, SIGTERM]
    /// Pipe ends; the write end is also in ``signalPipeWrite`` for the C handler. Closed never: a handler may run
    /// concurrently with `cancel()` and must not write to a reused descriptor.
    private let readEnd: Int32
    private let writeEnd: Int32
    /// The signals' actions before this watcher, restored by `cancel()`.
    private let previous: [sigaction]
    private let cancelled = Atomic<Bool>(false)

    package init(_ handler: @escaping @Sendable (Int32) -> Void) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { fatalError("SignalWatcher: pipe() failed with errno \(errno)") }
        readEnd = ends[0]
        writeEnd = ends[1]
        precondition(
            signalPipeWrite.compareExchange(expected: -1, desired: writeEnd, ordering: .sequentiallyConsistent).exchanged,
            "only one SignalWatcher may exist per process")
        previous = Self.signals.map { number in
            var action = sigaction()
            action.__sigaction_handler.sa_handler = forwardSignalToPipe
            action.sa_flags = SA_RESTART
            sigemptyset(&action.sa_mask)
            var old = sigaction()
            sigaction(number, &action, &old)
            return old
        }
        // The thread holds the watcher until `cancel()` wakes it to return.
        let thread = Thread { [self] in
            // A process may start with the signals blocked in every thread (inherited from whoever spawned it):
            // they would then stay pending forever. This thread takes them.
            var watched = sigset_t()
            sigemptyset(&watched)
            for number in Self.signals { sigaddset(&watched, number) }
            pthread_sigmask(SIG_UNBLOCK, &watched, nil)
            while true {
                var byte: UInt8 = 0
                let count = read(readEnd, &byte, 1)
                if count < 0 && errno == EINTR { continue }
                guard count == 1, !cancelled.load(ordering: .sequentiallyConsistent) else { return }
                handler(Int32(byte))
            }
        }
        thread.name = "tributary.signals"
        thread.start()
    }

    /// Restores the signals' previous actions and stops the watcher thread. Idempotent.
    package func cancel() {
        guard !cancelled.exchange(true, ordering: .sequentiallyConsistent) else { return }
        for (number, var old) in zip(Self.signals, previous) { sigaction(number, &old, nil) }
        signalPipeWrite.store(-1, ordering: .sequentiallyConsistent)
        var wake: UInt8 = 0
        _ = write(writeEnd, &wake, 1)
    }
}

/// Write end of the installed watcher's pipe, for the signal handler; -1 when none is installed.
private let signalPipeWrite = Atomic<Int32>(-1)

/// The C signal handler: writes the signal number to the watcher's pipe (only async-signal-safe calls).
private let forwardSignalToPipe: @convention(c) (Int32) -> Void = { number in
    let savedErrno = errno
    var byte = UInt8(truncatingIfNeeded: number)
    let descriptor = signalPipeWrite.load(ordering: .relaxed)
    if descriptor >= 0 { _ = write(descriptor, &byte, 1) }
    errno = savedErrno
}
