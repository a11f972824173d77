/// The changelog topic-partition of one logged store of a task.
package struct ChangelogPartition: Hashable, Sendable {
    /// The store name.
    package let store: String
    /// `<application id>-<store>-changelog`.
    package let topic: String
    /// The task's partition number.
    package let partition: Int32

    /// The name under which a store's checkpoint records this partition's offset: `<topic>-<partition>`.
    package var checkpointKey: String { "\(topic)-\(partition)" }
}
