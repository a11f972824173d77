#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

/// The operations the metered layer counts, as named in ``StoreMetrics``.
enum StoreOperation: Int, CaseIterable {
    case get, put, delete, range, fetch, findSessions, expire

    var name: String {
        switch self {
        case .get: "get"
        case .put: "put"
        case .delete: "delete"
        case .range: "range"
        case .fetch: "fetch"
        case .findSessions: "findSessions"
        case .expire: "expire"
        }
    }
}

/// The shared recorder of the metered store wrappers. Counts live in fixed buffers indexed by operation, so the
/// per-call cost is two clock reads and two increments; ``metrics`` builds the named view when read.
///
/// The buffers are raw pointers rather than arrays in stored properties: a meter belongs to one task on one
/// thread, and class-property arrays would pay a dynamic exclusivity check (a thread-local access set) on
/// every increment.
package final class StoreMeter {
    private let calls: UnsafeMutableBufferPointer<Int>
    private let nanoseconds: UnsafeMutableBufferPointer<UInt64>

    package init() {
        calls = .allocate(capacity: StoreOperation.allCases.count)
        calls.initialize(repeating: 0)
        nanoseconds = .allocate(capacity: StoreOperation.allCases.count)
        nanoseconds.initialize(repeating: 0)
    }

    deinit {
        calls.deallocate()
        nanoseconds.deallocate()
    }

    /// The counts so far, by operation name (operations never called are absent).
    package var metrics: StoreMetrics {
        var metrics = StoreMetrics()
        for operation in StoreOperation.allCases where calls[operation.rawValue] > 0 {
            metrics.calls[operation.name] = calls[operation.rawValue]
            metrics.nanoseconds[operation.name] = nanoseconds[operation.rawValue]
        }
        return metrics
    }

    /// Runs `body`, counting it as one `operation` and adding its duration.
    @inline(__always)
    func measure<T>(_ operation: StoreOperation, _ body: () throws -> T) rethrows -> T {
        let start = Self.monotonicNanoseconds()
        defer {
            calls[operation.rawValue] &+= 1
            nanoseconds[operation.rawValue] &+= Self.monotonicNanoseconds() &- start
        }
        return try body()
    }
}

extension StoreMeter {
    /// The monotonic clock in nanoseconds. Read directly rather than through `ContinuousClock`, whose `Duration`
    /// arithmetic (128-bit) cost more than the clock read itself, twice per store operation.
    @inline(__always)
    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
    }
}
