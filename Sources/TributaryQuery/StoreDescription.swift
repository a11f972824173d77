import TributaryCore

/// A store of the topology as the query port reads it: its kind, how its keys and values are encoded, and
/// over how many partitions its keys are spread (the partition count of its task's input topics).
package struct StoreDescription: Sendable, Equatable {
    /// The store name.
    package var name: String
    /// Its kind.
    package var type: QueryStoreType
    /// The format of its keys (for window and session stores, of the key without the window).
    package var keyFormat: SerdeFormat
    /// The format of its values.
    package var valueFormat: SerdeFormat
    /// Partitions of the store (one per task of its sub-topology); a key lives in
    /// `KeyPartitioner.partition(key:count:)` of them.
    package var partitions: Int

    /// Creates a description.
    package init(name: String, type: QueryStoreType, keyFormat: SerdeFormat, valueFormat: SerdeFormat, partitions: Int) {
        self.name = name
        self.type = type
        self.keyFormat = keyFormat
        self.valueFormat = valueFormat
        self.partitions = partitions
    }

    /// The description of the topology's store `spec`, which has `partitions` partitions.
    package init(_ spec: StoreSpec, partitions: Int) {
        self.init(
            name: spec.name, type: QueryStoreType(spec.kind), keyFormat: spec.keyFormat, valueFormat: spec.valueFormat,
            partitions: partitions)
    }
}
