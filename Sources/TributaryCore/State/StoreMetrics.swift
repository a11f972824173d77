/// Operation counts and time spent per operation kind of one store of one task, kept by the metered layer
/// (the outermost store layer: metered → changelogging → RocksDB or in-memory).
///
/// Read it through `TopologyTestDriver.storeMetrics(_:)` or the runtime's task metrics. Times are wall-clock
/// nanoseconds summed over calls, including the layers below (changelog bookkeeping and the store itself).
public struct StoreMetrics: Sendable, Equatable {
    /// Calls per operation kind: `get`, `put`, `delete`, `range`, `fetch`, `findSessions`, `expire`.
    public var calls: [String: Int] = [:]
    /// Nanoseconds spent per operation kind.
    public var nanoseconds: [String: UInt64] = [:]

    /// Creates empty metrics.
    public init() {}

    /// Adds the metrics of `other` (another task's store of the same name).
    public mutating func merge(_ other: StoreMetrics) {
        calls.merge(other.calls, uniquingKeysWith: +)
        nanoseconds.merge(other.nanoseconds, uniquingKeysWith: +)
    }
}

/// The shared recorder of the metered store wrappers.
package final class StoreMeter {
    package private(set) var metrics = StoreMetrics()
    private let clock = ContinuousClock()

    package init() {}

    /// Runs `body`, counting it as one `operation` and adding its duration.
    @inline(__always)
    func measure<T>(_ operation: String, _ body: () throws -> T) rethrows -> T {
        let start = clock.now
        defer {
            let elapsed = clock.now - start
            let (seconds, attoseconds) = elapsed.components
            metrics.calls[operation, default: 0] += 1
            metrics.nanoseconds[operation, default: 0] += UInt64(max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
        }
        return try body()
    }
}
