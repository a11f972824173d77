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
/// At most one wake-up runs at a time; requests made while one runs are dropped, not queued. One wake-up takes at
/// most ``budgetMs`` in all (a broker that does not answer costs no more), and none starts after ``cancel()``.
final class FetchWaker: Sendable {
    /// The most one wake-up waits for answers, over all its partitions.
    static let budgetMs: Int64 = 500

    private let client: RDKafkaClient
    private let queue = DispatchQueue(label: "tributary.fetch-waker")
    private let running = Atomic<Bool>(false)
    private let cancelled = Atomic<Bool>(false)

    init(client: RDKafkaClient) {
        self.client = client
    }

    /// Queries the watermarks of `partitions` in the background unless a wake-up is already running.
    func wake(_ partitions: [TopicPartition]) {
        guard !partitions.isEmpty, !cancelled.load(ordering: .acquiring),
            running.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        queue.async { [self] in
            let deadline = ContinuousClock.now + .milliseconds(Self.budgetMs)
            for partition in partitions where !cancelled.load(ordering: .acquiring) {
                let remaining = deadline - ContinuousClock.now
                guard remaining > .zero else { break }
                var low: Int64 = 0
                var high: Int64 = 0
                // The answer does not matter: sending the request is what wakes the leader's broker thread.
                _ = rd_kafka_query_watermark_offsets(
                    client.handle, partition.topic, partition.partition, &low, &high, timeoutMilliseconds(remaining))
            }
            self.running.store(false, ordering: .releasing)
        }
    }

    /// Starts no more queries (the consumer is closing).
    func cancel() {
        cancelled.store(true, ordering: .releasing)
    }

    /// Waits for a running wake-up to finish (at most ``budgetMs``).
    func drain() {
        queue.sync {}
    }
}
