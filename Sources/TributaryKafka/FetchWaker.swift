internal import CRdKafka
import Dispatch
import Synchronization

/// Wakes the broker threads that fetch a consumer's partitions, off the caller's thread.
///
/// librdkafka 2.0 stops fetching a partition once the consumer's local queue reaches `queued.min.messages` or
/// `queued.max.messages.kbytes`, and decides again only when the broker thread next wakes up: on a request or
/// response of its own, or after up to a second. A consumer that drains its queue faster than that waits with
/// nothing to read (the stateless benchmark spent about 30% of its time so). Any request to the partition's
/// leader wakes its broker thread, which then sees the queue below the thresholds and fetches again; a watermark
/// query (ListOffsets) is the cheapest request with no effect on the consumer's state.
///
/// At most one wake-up runs at a time; requests made while one runs are dropped, not queued.
final class FetchWaker: Sendable {
    private let client: RDKafkaClient
    private let queue = DispatchQueue(label: "tributary.fetch-waker")
    private let running = Atomic<Bool>(false)

    init(client: RDKafkaClient) {
        self.client = client
    }

    /// Queries the watermarks of `partitions` in the background unless a wake-up is already running.
    func wake(_ partitions: [TopicPartition]) {
        guard !partitions.isEmpty,
            running.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        queue.async { [self] in
            for partition in partitions {
                var low: Int64 = 0
                var high: Int64 = 0
                // The answer does not matter: sending the request is what wakes the leader's broker thread.
                _ = rd_kafka_query_watermark_offsets(
                    client.handle, partition.topic, partition.partition, &low, &high, 1000)
            }
            self.running.store(false, ordering: .releasing)
        }
    }

    /// Waits for a running wake-up to finish.
    func drain() {
        queue.sync {}
    }
}
