internal import CRdKafka

/// Cluster administration: metadata, topic creation and deletion, consumer group descriptions.
///
/// `@unchecked Sendable`: every call goes through thread-safe librdkafka
/// APIs on an immutable handle.
public final class KafkaAdmin: @unchecked Sendable {
    private let client: RDKafkaClient

    /// Creates an admin client; `config` needs at least `bootstrap.servers`.
    public init(config: [String: String]) throws(KafkaError) {
        client = try RDKafkaClient(type: RD_KAFKA_PRODUCER, config: RDKafkaConfig(config))
    }

    /// Brokers and all topics with their partition counts. Requests metadata
    /// for all topics only: naming a single unknown topic would auto-create it
    /// on brokers (and the mock) with auto-creation enabled.
    public func metadata(timeout: Duration) throws(KafkaError) -> ClusterMetadata {
        var md: UnsafePointer<rd_kafka_metadata>? = nil
        try check(rd_kafka_metadata(client.handle, 1, nil, &md, timeoutMilliseconds(timeout)), "metadata")
        guard let md else { return ClusterMetadata(brokers: [], topics: []) }
        defer { rd_kafka_metadata_destroy(md) }
        let m = md.pointee
        let brokers = (0..<Int(m.broker_cnt)).map { i in
            let b = m.brokers[i]
            return ClusterMetadata.Broker(id: b.id, host: String(cString: b.host), port: b.port)
        }
        let topics = (0..<Int(m.topic_cnt)).map { i in
            let t = m.topics[i]
            return ClusterMetadata.Topic(name: String(cString: t.topic), partitionCount: Int(t.partition_cnt), errorCode: t.err.rawValue)
        }
        return ClusterMetadata(brokers: brokers, topics: topics)
    }

    /// Creates topics; a topic that already exists is not an error.
    ///
    /// If no answer arrives within `timeout` this throws a `KafkaError` with
    /// code `KafkaError.Code.unsupportedFeature`: brokers that do not implement
    /// CreateTopics never answer it (the librdkafka mock cluster behaves so),
    /// and callers can fall back, e.g. to `EmbeddedKafkaCluster.createTopic`
    /// or to auto-creation. Other failures throw the broker's error code.
    public func createTopics(_ topics: [NewTopic], timeout: Duration) throws(KafkaError) {
        guard !topics.isEmpty else { return }
        var errstr = [CChar](repeating: 0, count: 512)
        var specs: [OpaquePointer?] = []
        defer { for spec in specs { rd_kafka_NewTopic_destroy(spec) } }
        for topic in topics {
            guard let spec = rd_kafka_NewTopic_new(
                topic.name, Int32(clamping: topic.partitions), Int32(clamping: topic.replicationFactor), &errstr, errstr.count)
            else {
                let text = errstr.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
                throw KafkaError(code: KafkaError.Code.invalidArgument, message: "NewTopic \(topic.name): \(text)")
            }
            specs.append(spec)
            for (key, value) in topic.config.sorted(by: { $0.key < $1.key }) {
                try check(rd_kafka_NewTopic_set_config(spec, key, value), "topic \(topic.name) config \(key)")
            }
        }
        let event = try request(
            "CreateTopics", operation: RD_KAFKA_ADMIN_OP_CREATETOPICS, timeout: timeout,
            hint: "; create topics another way"
        ) { options, queue in
            specs.withUnsafeMutableBufferPointer { buffer in
                rd_kafka_CreateTopics(client.handle, buffer.baseAddress, buffer.count, options, queue)
            }
        }
        defer { rd_kafka_event_destroy(event) }
        guard let result = rd_kafka_event_CreateTopics_result(event) else { return }
        var count = 0
        let results = rd_kafka_CreateTopics_result_topics(result, &count)
        try Self.checkTopicResults(results, count: count, accepting: RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS, verb: "create")
    }

    /// The cluster id the brokers report, `nil` if none arrived within `timeout`.
    public func clusterID(timeout: Duration) -> String? {
        guard let id = rd_kafka_clusterid(client.handle, timeoutMilliseconds(timeout)) else { return nil }
        defer { rd_kafka_mem_free(client.handle, id) }
        return String(cString: id)
    }

    /// Whether the brokers are librdkafka's mock cluster (`EmbeddedKafkaCluster`, `tributary dev-cluster`), which
    /// implements neither DescribeGroups, DeleteTopics, CreateTopics nor ListOffsets by timestamp. Requests it does
    /// not implement must not be sent to it: librdkafka 2.0 can then hang destroying the client.
    public func isMockCluster(timeout: Duration) -> Bool {
        clusterID(timeout: timeout)?.hasPrefix("mockCluster") ?? false
    }

    /// Deletes topics; a topic that does not exist is not an error.
    ///
    /// Like ``createTopics(_:timeout:)``, throws a `KafkaError` with code `KafkaError.Code.unsupportedFeature` when
    /// the broker does not answer DeleteTopics within `timeout` (the librdkafka mock cluster does not implement it).
    public func deleteTopics(_ names: [String], timeout: Duration) throws(KafkaError) {
        guard !names.isEmpty else { return }
        var specs: [OpaquePointer?] = names.map { rd_kafka_DeleteTopic_new($0) }
        defer { for spec in specs { rd_kafka_DeleteTopic_destroy(spec) } }
        let event = try request("DeleteTopics", operation: RD_KAFKA_ADMIN_OP_DELETETOPICS, timeout: timeout) {
            options, queue in
            specs.withUnsafeMutableBufferPointer { buffer in
                rd_kafka_DeleteTopics(client.handle, buffer.baseAddress, buffer.count, options, queue)
            }
        }
        defer { rd_kafka_event_destroy(event) }
        guard let result = rd_kafka_event_DeleteTopics_result(event) else { return }
        var count = 0
        let results = rd_kafka_DeleteTopics_result_topics(result, &count)
        try Self.checkTopicResults(results, count: count, accepting: RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, verb: "delete")
    }

    /// Describes consumer group `group`: its state and members.
    ///
    /// Throws a `KafkaError` with code `KafkaError.Code.unsupportedFeature` when the broker does not answer
    /// DescribeGroups within `timeout` (the librdkafka mock cluster does not implement it).
    public func describeConsumerGroup(_ group: String, timeout: Duration) throws(KafkaError) -> ConsumerGroupDescription {
        let event = try request(
            "DescribeGroups", operation: RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS, timeout: timeout,
            setsOperationTimeout: false
        ) { options, queue in
            group.withCString { name in
                var names: [UnsafePointer<CChar>?] = [name]
                names.withUnsafeMutableBufferPointer { buffer in
                    rd_kafka_DescribeConsumerGroups(client.handle, buffer.baseAddress, 1, options, queue)
                }
            }
        }
        defer { rd_kafka_event_destroy(event) }
        var count = 0
        guard let result = rd_kafka_event_DescribeConsumerGroups_result(event),
            let groups = rd_kafka_DescribeConsumerGroups_result_groups(result, &count), count == 1,
            let description = groups[0]
        else {
            throw KafkaError(code: KafkaError.Code.state, message: "DescribeConsumerGroups returned no description of \(group)")
        }
        if let error = rd_kafka_ConsumerGroupDescription_error(description) {
            let code = rd_kafka_error_code(error)
            if code == RD_KAFKA_RESP_ERR__TIMED_OUT || code == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE
                || code == RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION
            {
                throw Self.unanswered("DescribeGroups", timeout)
            }
            throw KafkaError(code: code.rawValue, message: "describe group \(group): \(String(cString: rd_kafka_error_string(error)))")
        }
        let members = (0..<rd_kafka_ConsumerGroupDescription_member_count(description)).compactMap { index in
            rd_kafka_ConsumerGroupDescription_member(description, index).map { member in
                ConsumerGroupDescription.Member(
                    memberID: String(cString: rd_kafka_MemberDescription_consumer_id(member)),
                    clientID: String(cString: rd_kafka_MemberDescription_client_id(member)),
                    host: String(cString: rd_kafka_MemberDescription_host(member)))
            }
        }
        return ConsumerGroupDescription(
            groupID: group,
            state: String(cString: rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupDescription_state(description))),
            members: members)
    }

    /// Runs one admin request: `send` issues it with options carrying `timeout` (as the request timeout, and as the
    /// operation timeout unless told otherwise) on a private queue; returns the answer's event, which the caller
    /// destroys. A request that gets no answer in time, or that the broker does not implement, throws
    /// `KafkaError.Code.unsupportedFeature` (the librdkafka mock cluster implements none of the admin requests).
    private func request(
        _ name: String, operation: rd_kafka_admin_op_t, timeout: Duration, setsOperationTimeout: Bool = true,
        hint: String = "", _ send: (_ options: OpaquePointer?, _ queue: OpaquePointer?) -> Void
    ) throws(KafkaError) -> OpaquePointer {
        let ms = timeoutMilliseconds(timeout)
        var errstr = [CChar](repeating: 0, count: 512)
        let options = rd_kafka_AdminOptions_new(client.handle, operation)
        defer { rd_kafka_AdminOptions_destroy(options) }
        _ = rd_kafka_AdminOptions_set_request_timeout(options, ms, &errstr, errstr.count)
        if setsOperationTimeout { _ = rd_kafka_AdminOptions_set_operation_timeout(options, ms, &errstr, errstr.count) }
        let queue = rd_kafka_queue_new(client.handle)
        defer { rd_kafka_queue_destroy(queue) }
        send(options, queue)
        let unanswered = Self.unanswered(name, timeout, hint: hint)
        // The request timeout bounds the event; the extra second covers local scheduling.
        guard let event = rd_kafka_queue_poll(queue, ms &+ 1000) else { throw unanswered }
        let err = rd_kafka_event_error(event)
        if err == RD_KAFKA_RESP_ERR__TIMED_OUT || err == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE {
            rd_kafka_event_destroy(event)
            throw unanswered
        }
        do {
            try check(err, name)
        } catch {
            rd_kafka_event_destroy(event)
            throw error
        }
        return event
    }

    /// The error for an admin request the broker did not answer in time or does not implement.
    private static func unanswered(_ name: String, _ timeout: Duration, hint: String = "") -> KafkaError {
        KafkaError(
            code: KafkaError.Code.unsupportedFeature,
            message: "\(name) was not answered within \(timeout): the broker does not appear to support it "
                + "(the librdkafka mock cluster does not)\(hint)")
    }

    /// Throws the first per-topic error of a CreateTopics/DeleteTopics answer other than `accepting`.
    private static func checkTopicResults(
        _ results: UnsafeMutablePointer<OpaquePointer?>?, count: Int, accepting: rd_kafka_resp_err_t, verb: String
    ) throws(KafkaError) {
        guard let results else { return }
        for i in 0..<count {
            let topicResult = results[i]
            let code = rd_kafka_topic_result_error(topicResult)
            if code == RD_KAFKA_RESP_ERR_NO_ERROR || code == accepting { continue }
            let name = String(cString: rd_kafka_topic_result_name(topicResult))
            let text = rd_kafka_topic_result_error_string(topicResult).map { String(cString: $0) } ?? ""
            throw KafkaError(code: code.rawValue, message: "\(verb) topic \(name): \(text)")
        }
    }
}
