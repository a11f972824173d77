/// Where sink nodes send serialized records: a Kafka producer in the runtime, in-memory topics in the test driver.
package protocol RecordCollector: AnyObject {
    /// Sends one record. `partition == nil` lets the key decide the partition.
    /// Errors thrown here are production errors for the task's error policy.
    func send(
        topic: String, partition: Int32?, key: [UInt8]?, value: [UInt8]?, timestamp: Int64, headers: [Header]
    ) throws
}
