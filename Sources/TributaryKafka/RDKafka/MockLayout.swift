internal import CRdKafka

/// Typed access to the private state of a librdkafka 2.0.2 mock cluster
/// through the `crdkafka_mock_*_v2_0_2` mirrors in shim.h.
///
/// Invariant: no field is ever written unless `verifyCluster` succeeded for
/// this cluster and `verifyTopic` succeeded for the topic being written.
///
/// Concurrency: the mock thread appends topics (TAILQ_INSERT_TAIL, after the
/// topic and its partitions are fully initialised) and never removes them
/// before the cluster is destroyed, so walking `next` pointers with acquire
/// loads sees only complete topics. This relies on x86_64's TSO memory model:
/// the mock thread uses plain stores, and TSO makes them visible in program
/// order, so a reader that sees the link also sees the topic's contents.
struct MockLayout {
    /// The exact `rd_kafka_version()` the mirrors were written for.
    static let supportedVersion: Int32 = 0x0200_02ff
    /// The mock's per-partition defaults in 2.0.2 (`rd_kafka_mock_partition_init`).
    static let defaultMaxSize = 5 * 1024 * 1024
    /// See `defaultMaxSize`.
    static let defaultMaxCount = 100_000
    /// SIZE_MAX as Swift imports `size_t` (as `Int`): the value of a lifted limit.
    static let lifted = Int(bitPattern: UInt.max)
    /// Sanity bound for partition counts read from memory.
    static let maxPlausiblePartitions: Int32 = 100_000

    let cluster: UnsafeMutablePointer<crdkafka_mock_cluster_v2_0_2>

    /// Checks the build target and version, then cross-checks a freshly
    /// created cluster against values known from the public API.
    static func verifyCluster(_ mcluster: OpaquePointer, brokers: Int) -> Result<MockLayout, EmbeddedKafkaClusterError> {
        let version = rd_kafka_version()
        let versionString = String(cString: rd_kafka_version_str())
        func refuse(_ why: String) -> Result<MockLayout, EmbeddedKafkaClusterError> {
            .failure(.layoutNotRecognised(
                "librdkafka \(versionString) (0x\(String(UInt32(bitPattern: version), radix: 16))) mock layout not recognised; "
                    + "this build only supports Debian librdkafka 2.0.2 on x86_64 (\(why))"))
        }
        #if arch(x86_64)
        guard crdkafka_mock_layout_compiled_for_target() == 1 else { return refuse("shim not compiled for x86_64 LP64") }
        #else
        return refuse("architecture is not x86_64")
        #endif
        guard version == supportedVersion else { return refuse("version mismatch") }
        guard let cluster = crdkafka_mock_cluster_layout(mcluster) else { return refuse("null cluster") }
        let c = cluster.pointee
        guard let publicBootstraps = rd_kafka_mock_cluster_bootstraps(mcluster),
              UnsafeRawPointer(publicBootstraps) == UnsafeRawPointer(c.bootstraps)
        else { return refuse("bootstraps pointer mismatch") }
        guard c.broker_cnt == Int32(brokers) else { return refuse("broker_cnt \(c.broker_cnt) != \(brokers)") }
        guard c.defaults.partition_cnt == 4 else { return refuse("defaults.partition_cnt \(c.defaults.partition_cnt) != 4") }
        let rf = Int32(min(3, brokers))
        guard c.defaults.replication_factor == rf else { return refuse("defaults.replication_factor != \(rf)") }
        guard crdkafka_mock_topic_count(cluster) == 0, crdkafka_mock_first_topic(cluster) == nil else {
            return refuse("topic list not empty")
        }
        return .success(MockLayout(cluster: cluster))
    }

    /// Sets the partition count of auto-created topics.
    func setDefaultPartitions(_ count: Int) {
        crdkafka_mock_set_default_partitions(cluster, Int32(clamping: count))
    }

    /// Every topic currently linked into the cluster, in creation order.
    func topics() -> [UnsafeMutablePointer<crdkafka_mock_topic_v2_0_2>] {
        var result: [UnsafeMutablePointer<crdkafka_mock_topic_v2_0_2>] = []
        var topic = crdkafka_mock_first_topic(cluster)
        while let t = topic {
            result.append(t)
            topic = crdkafka_mock_next_topic(t)
        }
        return result
    }

    /// The topic's name, if it has one.
    func name(of topic: UnsafeMutablePointer<crdkafka_mock_topic_v2_0_2>) -> String? {
        topic.pointee.name.map { String(cString: $0) }
    }

    /// Checks a topic's structure; returns a description of the first mismatch.
    /// `expectedName`/`expectedPartitions` are checked when given.
    func verifyTopic(
        _ topic: UnsafeMutablePointer<crdkafka_mock_topic_v2_0_2>, expectedName: String? = nil, expectedPartitions: Int? = nil
    ) -> String? {
        let t = topic.pointee
        guard let name = name(of: topic) else { return "topic without a name" }
        if let expectedName, name != expectedName { return "topic name \(name) != \(expectedName)" }
        guard UnsafeMutableRawPointer(t.cluster) == UnsafeMutableRawPointer(cluster) else { return "topic \(name): cluster back-pointer" }
        guard t.partition_cnt > 0, t.partition_cnt <= Self.maxPlausiblePartitions, t.partitions != nil else {
            return "topic \(name): implausible partition_cnt \(t.partition_cnt)"
        }
        if let expectedPartitions, Int(t.partition_cnt) != expectedPartitions {
            return "topic \(name): partition_cnt \(t.partition_cnt) != \(expectedPartitions)"
        }
        for index in 0..<t.partition_cnt {
            let p = crdkafka_mock_partition_at(topic, index)!
            guard p.pointee.id == index else { return "topic \(name) partition \(index): id \(p.pointee.id)" }
            guard p.pointee.topic == topic else { return "topic \(name) partition \(index): topic back-pointer" }
            let maxSize = crdkafka_mock_partition_max_size(p)
            let maxCount = crdkafka_mock_partition_max_cnt(p)
            guard maxSize == Self.defaultMaxSize || maxSize == Self.lifted else {
                return "topic \(name) partition \(index): max_size \(maxSize)"
            }
            guard maxCount == Self.defaultMaxCount || maxCount == Self.lifted else {
                return "topic \(name) partition \(index): max_cnt \(maxCount)"
            }
        }
        return nil
    }

    /// Lifts `max_size`/`max_cnt` to SIZE_MAX on every partition of a verified topic.
    func liftLimits(_ topic: UnsafeMutablePointer<crdkafka_mock_topic_v2_0_2>) {
        for index in 0..<topic.pointee.partition_cnt {
            crdkafka_mock_partition_lift_limits(crdkafka_mock_partition_at(topic, index))
        }
    }

    /// The first partition whose log start offset moved, which in 2.0.2 only
    /// happens when the mock evicts message sets (it has no DeleteRecords).
    func firstEviction(_ topic: UnsafeMutablePointer<crdkafka_mock_topic_v2_0_2>) -> (partition: Int32, startOffset: Int64)? {
        for index in 0..<topic.pointee.partition_cnt {
            let start = crdkafka_mock_partition_start_offset(crdkafka_mock_partition_at(topic, index))
            if start > 0 { return (index, start) }
        }
        return nil
    }
}
