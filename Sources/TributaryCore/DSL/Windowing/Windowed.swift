/// The key of a windowed aggregation's table: the record key and the window it was aggregated in.
public struct Windowed<Key> {
    /// The record key.
    public var key: Key
    /// The window.
    public var window: Window

    /// Creates a windowed key.
    public init(key: Key, window: Window) {
        self.key = key
        self.window = window
    }
}

extension Windowed: Equatable where Key: Equatable {}
extension Windowed: Hashable where Key: Hashable {}
extension Windowed: Sendable where Key: Sendable {}
