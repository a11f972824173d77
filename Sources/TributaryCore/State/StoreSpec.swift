/// The kind of a state store and how long it keeps data.
public enum StoreKind: Sendable, Equatable {
    /// A key-value store.
    case keyValue
    /// A window store keeping windows for `retentionMs` after the latest window start.
    case window(retentionMs: Int64)
    /// A session store keeping sessions for `retentionMs` after the latest session end.
    case session(retentionMs: Int64)
}

/// A store the topology declares: its name, kind, and whether its writes go to a changelog topic.
public struct StoreSpec: Sendable, Equatable {
    /// The store name, unique in the topology.
    public var name: String
    /// Its kind.
    public var kind: StoreKind
    /// Whether every write is also sent to the changelog topic `<application id>-<name>-changelog`.
    public var logged: Bool
    /// The format of the keys' bytes (for window and session stores, of the key without its window).
    public var keyFormat: SerdeFormat
    /// The format of the values' bytes.
    public var valueFormat: SerdeFormat

    /// Creates a spec. The formats tell readers outside the topology (the query port) how to read keys and
    /// values; DSL stores set them from their serdes.
    public init(
        name: String, kind: StoreKind, logged: Bool = true, keyFormat: SerdeFormat = .opaque,
        valueFormat: SerdeFormat = .opaque
    ) {
        self.name = name
        self.kind = kind
        self.logged = logged
        self.keyFormat = keyFormat
        self.valueFormat = valueFormat
    }

    /// The changelog topic of this store under `applicationID`.
    public func changelogTopic(applicationID: String) -> String {
        "\(applicationID)-\(name)-changelog"
    }
}

/// Creates the inner (bytes) store for each task: RocksDB in the runtime, in memory in the test driver.
package protocol StateStoreProvider: AnyObject {
    /// A new or reopened store for `spec` owned by task `taskID`.
    func makeStore(_ spec: StoreSpec, taskID: TaskID) throws -> StateStore
}
