#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A source of wall-clock time in milliseconds. The runtime uses the system clock; the test driver a manual one.
public protocol WallClock: AnyObject {
    /// Milliseconds since the Unix epoch.
    func nowMs() -> Int64
}

/// The system's real-time clock.
public final class SystemWallClock: WallClock, @unchecked Sendable {
    // Stateless: safe to share between threads.
    /// Creates a system clock.
    public init() {}

    /// Milliseconds since the Unix epoch.
    public func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
