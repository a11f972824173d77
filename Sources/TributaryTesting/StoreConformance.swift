import TributaryCore

/// A failed store conformance check: which check, and what the store did differently from the protocol.
public struct ConformanceFailure: Error, CustomStringConvertible, Sendable {
    /// The check's name.
    public var check: String
    /// What was expected and what the store returned.
    public var message: String

    /// Creates a failure.
    public init(check: String, message: String) {
        self.check = check
        self.message = message
    }

    /// `"<check>: <message>"`.
    public var description: String { "\(check): \(message)" }
}

/// One named conformance check of a store protocol, run against stores made by a `Factory`.
///
/// The same check values run against every implementation: a test target passes a list of checks
/// (``KeyValueStoreConformance/checks``, ``WindowStoreConformance/checks``, ``SessionStoreConformance/checks``)
/// to `@Test(arguments:)` and calls ``run(_:)`` with a factory for its implementation. A check creates as
/// many fresh stores as it needs through the factory and closes each one before returning; it throws a
/// ``ConformanceFailure`` describing the first difference it finds.
public struct StoreConformanceCheck<Factory>: Sendable, CustomStringConvertible {
    /// A short sentence naming the behaviour checked.
    public let name: String
    /// The check itself, given the factory.
    private let body: @Sendable (Factory, inout ConformanceExpectations) throws -> Void

    /// Creates a check.
    init(_ name: String, _ body: @escaping @Sendable (Factory, inout ConformanceExpectations) throws -> Void) {
        self.name = name
        self.body = body
    }

    /// Runs the check with stores from `factory`; throws ``ConformanceFailure`` on the first difference.
    public func run(_ factory: Factory) throws {
        var expectations = ConformanceExpectations(check: name)
        try body(factory, &expectations)
    }

    /// The check's name.
    public var description: String { name }
}

/// Assertion helpers for conformance checks: each throws a ``ConformanceFailure`` naming the check.
public struct ConformanceExpectations: Sendable {
    /// The name of the running check.
    public let check: String

    /// Throws unless `condition` holds.
    public func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw ConformanceFailure(check: check, message: message()) }
    }

    /// Throws unless `actual == expected`, showing both.
    public func expectEqual<T: Equatable>(_ actual: T, _ expected: T, _ what: @autoclosure () -> String) throws {
        if actual != expected {
            throw ConformanceFailure(
                check: check, message: "\(what()): expected \(expected), got \(actual)")
        }
    }
}

/// A deterministic random number generator (SplitMix64) for the model-based checks, so a failure repeats.
struct SeededGenerator: RandomNumberGenerator {
    /// The generator state.
    private var state: UInt64

    /// Creates a generator from `seed`.
    init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A short random key from a small alphabet rich in edge bytes (0x00, 0xFF), so keys often share
    /// prefixes or are prefixes of each other.
    mutating func edgeKey(maxLength: Int = 4) -> [UInt8] {
        let alphabet: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF]
        let length = Int.random(in: 0...maxLength, using: &self)
        return (0..<length).map { _ in alphabet.randomElement(using: &self)! }
    }
}
