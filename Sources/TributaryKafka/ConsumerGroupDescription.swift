/// A consumer group as its coordinator describes it (DescribeGroups).
public struct ConsumerGroupDescription: Sendable, Equatable {
    /// One member of the group.
    public struct Member: Sendable, Equatable {
        /// The member id the coordinator gave it.
        public var memberID: String
        /// The member's `client.id`.
        public var clientID: String
        /// The host the member connected from.
        public var host: String
    }

    /// The group id.
    public var groupID: String
    /// The group state as librdkafka names it: `Empty`, `Stable`, `PreparingRebalance`, `CompletingRebalance`,
    /// `Dead` or `Unknown`.
    public var state: String
    /// The members now in the group; empty when no consumer is alive in it.
    public var members: [Member]
}
