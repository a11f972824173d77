import CRocksDB

extension Array where Element == UInt8 {
    /// Calls `body` with a C view of these bytes that is valid only inside
    /// `body`. Never passes NULL, even for an empty array, because some
    /// RocksDB entry points treat a NULL key specially.
    func withCBytes<R>(_ body: (UnsafePointer<CChar>, Int) throws -> R) rethrows -> R {
        try withUnsafeBytes { raw in
            if let base = raw.baseAddress {
                return try body(base.assumingMemoryBound(to: CChar.self), raw.count)
            }
            let empty: CChar = 0
            return try withUnsafePointer(to: empty) { try body($0, 0) }
        }
    }

    /// Copies `count` bytes at `pointer`; an empty array for NULL or zero length.
    init(copying pointer: UnsafePointer<CChar>?, count: Int) {
        guard let pointer, count > 0 else {
            self = []
            return
        }
        self = Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
