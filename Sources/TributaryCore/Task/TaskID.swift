/// Identifies a task: one sub-topology applied to one partition number of its source topics.
public struct TaskID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The sub-topology index, as numbered in ``Topology/describe(format:)``.
    public var subtopology: Int
    /// The partition number the task owns in every source topic of its sub-topology.
    public var partition: Int32

    /// Creates a task id.
    public init(subtopology: Int, partition: Int32) {
        self.subtopology = subtopology
        self.partition = partition
    }

    /// `<subtopology>_<partition>`, as Kafka Streams writes task ids.
    public var description: String { "\(subtopology)_\(partition)" }

    public static func < (lhs: TaskID, rhs: TaskID) -> Bool {
        (lhs.subtopology, lhs.partition) < (rhs.subtopology, rhs.partition)
    }
}
