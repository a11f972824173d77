import CoreMetrics
import Prometheus

/// The metrics of one ``StreamsApp``: a Prometheus registry of its own, filled through swift-metrics with a
/// factory bound to that registry, so several apps in one process never share (or overwrite) series and nothing
/// depends on the process-wide `MetricsSystem.bootstrap`.
///
/// Every series is named `tributary_...` and carries the label `application`; the others are `thread` (stream
/// thread index), `task` (`<subtopology>_<partition>`), `topic`, `partition`, `store`, `state` and `reason`.
/// docs/operations.md lists every series; `MetricName` holds the names.
///
/// Thread-safety: the registry and the swift-metrics handles are thread-safe; each ``StreamThreadMetrics`` is
/// confined to its stream thread.
final class StreamsMetrics: Sendable {
    /// The names of every series Tributary exports.
    enum MetricName {
        static let threadState = "tributary_thread_state"
        static let processDuration = "tributary_process_duration_seconds"
        static let commitDuration = "tributary_commit_duration_seconds"
        static let consumerLag = "tributary_consumer_lag_records"
        static let recordsIn = "tributary_task_records_in_total"
        static let recordsOut = "tributary_task_records_out_total"
        static let recordsDropped = "tributary_task_records_dropped_total"
        static let recordsDeadLettered = "tributary_task_records_dead_lettered_total"
        static let restoredRecords = "tributary_restore_records_total"
        static let restoreRemaining = "tributary_restore_remaining_records"
        static let storeLiveDataBytes = "tributary_store_estimated_live_data_bytes"
        static let storeKeys = "tributary_store_estimated_keys"
    }

    /// The application id, the value of every series' `application` label.
    let application: String
    private let registry: PrometheusCollectorRegistry
    /// swift-metrics factory writing into `registry` only.
    let factory: PrometheusMetricsFactory

    init(applicationID: String) {
        application = applicationID
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Batches and commits take from tens of microseconds to seconds; the default buckets start at 5 ms.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
        ]
        self.factory = factory
    }

    /// Every series in the Prometheus text exposition format (version 0.0.4).
    func prometheusText() -> String { registry.emitToString() }

    /// The metrics of stream thread `index`.
    func thread(_ index: Int) -> StreamThreadMetrics { StreamThreadMetrics(metrics: self, thread: index) }
}
