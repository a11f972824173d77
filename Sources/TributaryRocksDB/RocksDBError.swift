import CRocksDB

/// An error reported by RocksDB (or by this wrapper, e.g. use after `close()`).
///
/// `message` is RocksDB's own status text, such as
/// `"IO error: While mkdir if missing: /tmp/x: File exists"`.
public struct RocksDBError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The human-readable reason, as RocksDB reported it.
    public let message: String

    /// Creates an error carrying `message`.
    public init(message: String) {
        self.message = message
    }

    /// `"RocksDBError: <message>"`.
    public var description: String { "RocksDBError: \(message)" }

    /// Raised by every store operation after `close()`.
    static let closed = RocksDBError(message: "store is closed")
}

/// Runs `body` with a fresh RocksDB `char** errptr` and converts an error set
/// through it into a thrown `RocksDBError`.
///
/// Invariant: the error string is malloc-ed by RocksDB and freed here with
/// `rocksdb_free` exactly once, so callers never see or free it. If an error
/// is set, `body`'s result is discarded (RocksDB returns NULL/nothing then).
func withRocksDBErrorPointer<T>(
    _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) throws -> T
) throws -> T {
    var error: UnsafeMutablePointer<CChar>? = nil
    let result = try body(&error)
    if let error {
        let message = String(cString: error)
        rocksdb_free(error)
        throw RocksDBError(message: message)
    }
    return result
}
