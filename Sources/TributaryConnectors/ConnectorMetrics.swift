import Foundation
import Logging
import Synchronization

/// Counters of one connector run: events in, produced, dropped by reason (dead-lettered rows included),
/// reconnects, batches, last event time and lag behind the wall clock. Thread-safe; logged periodically by
/// ``startReporting(every:logger:)`` and once at the end with ``summary(nowMilliseconds:)``.
public final class ConnectorMetrics: Sendable {
    /// A copy of the counters.
    public struct Snapshot: Equatable, Sendable {
        /// Events (lines, rows, SSE messages) read from the source.
        public var eventsIn = 0
        /// Records produced to the main topic (acknowledged only after the next flush).
        public var produced = 0
        /// Records sent to the dead-letter topic.
        public var deadLettered = 0
        /// Events not produced to the main topic, by reason (`canary`, `wiki-filter`, `malformed-json`, ...).
        public var dropped: [String: Int] = [:]
        /// Failures of a whole batch or connection, by reason (`md5-mismatch`, `http-error`, `truncated-zip`, ...).
        public var failures: [String: Int] = [:]
        /// Reconnections of a stream.
        public var reconnects = 0
        /// GDELT batches produced.
        public var batches = 0
        /// GDELT batches skipped because the resume state says they were produced before.
        public var skippedBatches = 0
        /// The event time of the newest event produced, in milliseconds since the epoch.
        public var lastEventTime: Int64?
    }

    /// The connector's name in log lines (`wikimedia`, `gdelt`).
    public let name: String
    private let state = Mutex(Snapshot())
    private let reporter = StopSignal()

    /// Creates zeroed counters.
    public init(name: String) {
        self.name = name
    }

    /// The current counters.
    public var snapshot: Snapshot { state.withLock { $0 } }

    func countIn(_ n: Int = 1) { state.withLock { $0.eventsIn += n } }
    func countProduced(_ n: Int = 1, eventTime: Int64?) {
        state.withLock {
            $0.produced += n
            if let eventTime { $0.lastEventTime = max($0.lastEventTime ?? .min, eventTime) }
        }
    }
    func countDropped(_ reason: String, _ n: Int = 1) { state.withLock { $0.dropped[reason, default: 0] += n } }
    func countDeadLettered(_ n: Int = 1) { state.withLock { $0.deadLettered += n } }
    func countFailure(_ reason: String) { state.withLock { $0.failures[reason, default: 0] += 1 } }
    func countReconnect() { state.withLock { $0.reconnects += 1 } }
    func countBatch() { state.withLock { $0.batches += 1 } }
    func countSkippedBatch() { state.withLock { $0.skippedBatches += 1 } }

    /// One log line with every counter, e.g. `wikimedia: in 50, produced 48, dead-lettered 1, dropped
    /// {canary: 1, malformed-json: 1}, failures {}, reconnects 2, batches 0, last event 2026-...Z, lag 3.2 s`.
    public func summary(nowMilliseconds: Int64 = EventTime.nowMilliseconds()) -> String {
        let s = snapshot
        func list(_ d: [String: Int]) -> String {
            "{" + d.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        }
        let last = s.lastEventTime.map(EventTime.formatISO8601) ?? "none"
        let lag = s.lastEventTime.map { "\(Double(nowMilliseconds - $0) / 1000) s" } ?? "n/a"
        return "\(name): in \(s.eventsIn), produced \(s.produced), dead-lettered \(s.deadLettered), "
            + "dropped \(list(s.dropped)), failures \(list(s.failures)), reconnects \(s.reconnects), "
            + "batches \(s.batches) (skipped \(s.skippedBatches)), last event \(last), lag \(lag)"
    }

    /// Logs ``summary(nowMilliseconds:)`` at info level every `interval` (on a thread of its own) until
    /// ``stopReporting()``.
    public func startReporting(every interval: Duration, logger: Logger) {
        let reporterStop = reporter
        Thread { [self] in
            while reporterStop.sleep(interval) { logger.info("\(summary())") }
        }.start()
    }

    /// Stops the periodic log line.
    public func stopReporting() {
        reporter.stop()
    }
}
