/// One window (or session) of a key, as a window query returns it.
package struct QueryWindow: Sendable, Equatable {
    /// Window start (session: first record), epoch ms.
    package var start: Int64
    /// Session end (last record), epoch ms; `nil` for windows of a window store, whose size the topology knows.
    package var end: Int64?
    /// The value's bytes.
    package var value: [UInt8]

    /// Creates a window.
    package init(start: Int64, end: Int64?, value: [UInt8]) {
        self.start = start
        self.end = end
        self.value = value
    }
}
