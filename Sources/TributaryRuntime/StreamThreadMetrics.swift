import CoreMetrics
import TributaryCore
import TributaryKafka
import TributaryRocksDB

/// The series of one stream thread, updated by that thread only.
///
/// Nothing here runs per record: the loop adds counts per task per batch (``recordBatch(task:taken:sent:)``) and
/// times whole batches; counters derived from the task's own tallies, lag and store sizes are published at each
/// commit (``publish(tasks:committed:)``). Gauges of partitions, tasks and stores this thread no longer owns are
/// removed, so a scrape never reports another thread's (or instance's) work as this one's.
final class StreamThreadMetrics {
    /// What a stream thread is doing; exported as `tributary_thread_state{state=...}` 1 for the current one.
    enum State: String, CaseIterable {
        /// Joining the group, waiting for the first assignment of every thread of the instance.
        case starting
        /// Rebuilding the stores of newly assigned tasks from their changelogs.
        case restoring
        /// Processing.
        case running
        /// Committing and closing after a shutdown request.
        case stopping
        /// Closed cleanly.
        case stopped
        /// Stopped by an error.
        case failed
    }

    private let metrics: StreamsMetrics
    private let labels: [(String, String)]
    private let stateGauges: [State: Gauge]
    private(set) var state: State = .starting
    private let processTimer: Timer
    private let commitTimer: Timer
    private var tasks: [TaskID: TaskSeries] = [:]
    /// Consumer lag gauges by partition, with the next offset to process (the last committed one).
    private var lag: [TopicPartition: (gauge: Gauge, position: Int64)] = [:]
    private var restoreRemaining: [String: Gauge] = [:]
    private var restored: [String: Counter] = [:]

    init(metrics: StreamsMetrics, thread: Int) {
        self.metrics = metrics
        labels = [("application", metrics.application), ("thread", String(thread))]
        var gauges: [State: Gauge] = [:]
        for state in State.allCases {
            gauges[state] = Gauge(
                label: StreamsMetrics.MetricName.threadState, dimensions: labels + [("state", state.rawValue)],
                factory: metrics.factory)
        }
        stateGauges = gauges
        stateGauges[.starting]!.record(1)
        processTimer = Timer(label: StreamsMetrics.MetricName.processDuration, dimensions: labels, factory: metrics.factory)
        commitTimer = Timer(label: StreamsMetrics.MetricName.commitDuration, dimensions: labels, factory: metrics.factory)
    }

    /// Moves the thread to `state`; a no-op when it is there already.
    func setState(_ newState: State) {
        guard newState != state else { return }
        stateGauges[state]!.record(0)
        stateGauges[newState]!.record(1)
        state = newState
    }

    /// One processing pass over the thread's tasks took `duration` and took at least one record.
    func recordProcessing(_ duration: Duration) { processTimer.recordNanoseconds(Self.nanoseconds(duration)) }

    /// One commit took `duration`.
    func recordCommit(_ duration: Duration) { commitTimer.recordNanoseconds(Self.nanoseconds(duration)) }

    /// `task` took `taken` records from its queues and sent `sent` records (outputs, repartition and dead letters)
    /// in one call.
    func recordBatch(task: TaskID, taken: Int, sent: Int) {
        let series = self.series(task)
        series.taken += taken
        series.sent += sent
    }

    /// A new assignment: lag is reported for `partitions` from their committed offsets (`nil`: none yet).
    func assigned(_ partitions: [TopicPartition: Int64?]) {
        for (partition, committed) in partitions where lag[partition] == nil {
            let gauge = Gauge(
                label: StreamsMetrics.MetricName.consumerLag,
                dimensions: labels + [("topic", partition.topic), ("partition", String(partition.partition))],
                factory: metrics.factory)
            lag[partition] = (gauge, committed ?? -1)
        }
    }

    /// The partitions are gone (revoked or closed), with every series of `tasks`.
    func removed(partitions: [TopicPartition], tasks removedTasks: [TaskID]) {
        for partition in partitions { lag.removeValue(forKey: partition)?.gauge.destroy() }
        for id in removedTasks {
            guard let series = tasks.removeValue(forKey: id) else { continue }
            for gauges in series.stores.values {
                gauges.liveDataBytes.destroy()
                gauges.keys.destroy()
            }
            for (key, gauge) in restoreRemaining where key.hasPrefix("\(id)/") {
                gauge.destroy()
                restoreRemaining.removeValue(forKey: key)
            }
        }
    }

    /// Restoration of `store` of `task` applied `applied` more changelog records; `remaining` offsets are left.
    func restoreProgress(task: TaskID, store: String, applied: Int, remaining: Int64) {
        let key = "\(task)/\(store)"
        let dimensions = labels + [("task", task.description), ("store", store)]
        let counter = restored[key] ?? Counter(
            label: StreamsMetrics.MetricName.restoredRecords, dimensions: dimensions, factory: metrics.factory)
        restored[key] = counter
        Self.add(applied, to: counter)
        let gauge = restoreRemaining[key] ?? Gauge(
            label: StreamsMetrics.MetricName.restoreRemaining, dimensions: dimensions, factory: metrics.factory)
        restoreRemaining[key] = gauge
        gauge.record(max(0, remaining))
    }

    /// Publishes what the tasks counted since the last call, the consumer lag after a commit of `committed`, and
    /// the size estimates of the tasks' RocksDB stores. `highWatermark` answers from the consumer's cache.
    func publish(
        tasks current: [TaskID: StreamTask], restoring: Set<TaskID>, committed: [TopicPartitionOffset],
        highWatermark: (TopicPartition) -> (low: Int64, high: Int64)?
    ) {
        for id in current.keys.sorted() {
            let task = current[id]!
            let series = self.series(id)
            let counters = task.counters
            let failed = counters.failed.values.reduce(0, +)
            Self.add(series.taken - series.published.taken, to: series.inCounter)
            Self.add(
                (series.sent - counters.deadLettered) - (series.published.sent - series.published.deadLettered),
                to: series.outCounter)
            Self.add(counters.lateDropped - series.published.late, to: series.lateCounter)
            Self.add(failed - series.published.failed, to: series.errorCounter)
            Self.add(counters.deadLettered - series.published.deadLettered, to: series.deadLetterCounter)
            series.published = (series.taken, series.sent, counters.lateDropped, failed, counters.deadLettered)
            guard !restoring.contains(id) else { continue }
            for name in task.stores.keys.sorted() {
                guard let store = task.innerStore(name) as? RocksDBSizeEstimating,
                    let estimate = try? store.sizeEstimate()
                else { continue }
                let gauges = series.stores[name] ?? (
                    Gauge(
                        label: StreamsMetrics.MetricName.storeLiveDataBytes,
                        dimensions: series.dimensions + [("store", name)], factory: metrics.factory),
                    Gauge(
                        label: StreamsMetrics.MetricName.storeKeys, dimensions: series.dimensions + [("store", name)],
                        factory: metrics.factory))
                series.stores[name] = gauges
                gauges.liveDataBytes.record(Int64(clamping: estimate.liveDataBytes))
                gauges.keys.record(Int64(clamping: estimate.keys))
            }
        }
        for entry in committed where lag[entry.topicPartition] != nil {
            lag[entry.topicPartition]!.position = entry.offset
        }
        for (partition, entry) in lag {
            guard let marks = highWatermark(partition) else { continue }
            let position = entry.position < 0 ? marks.low : max(entry.position, marks.low)
            entry.gauge.record(max(0, marks.high - position))
        }
    }

    /// Counters only go up; a tally never decreases, so `delta < 0` cannot happen, and 0 is skipped.
    private static func add(_ delta: Int, to counter: Counter) {
        if delta > 0 { counter.increment(by: delta) }
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
    }

    private func series(_ id: TaskID) -> TaskSeries {
        if let series = tasks[id] { return series }
        let series = TaskSeries(dimensions: labels + [("task", id.description)], factory: metrics.factory)
        tasks[id] = series
        return series
    }
}

/// The counters and store gauges of one task, with the tallies last published.
private final class TaskSeries {
    let dimensions: [(String, String)]
    let inCounter: Counter
    let outCounter: Counter
    let lateCounter: Counter
    let errorCounter: Counter
    let deadLetterCounter: Counter
    /// Records taken and sent since the task was created on this thread.
    var taken = 0
    var sent = 0
    var published: (taken: Int, sent: Int, late: Int, failed: Int, deadLettered: Int) = (0, 0, 0, 0, 0)
    var stores: [String: (liveDataBytes: Gauge, keys: Gauge)] = [:]

    init(dimensions: [(String, String)], factory: any MetricsFactory) {
        self.dimensions = dimensions
        inCounter = Counter(label: StreamsMetrics.MetricName.recordsIn, dimensions: dimensions, factory: factory)
        outCounter = Counter(label: StreamsMetrics.MetricName.recordsOut, dimensions: dimensions, factory: factory)
        lateCounter = Counter(
            label: StreamsMetrics.MetricName.recordsDropped, dimensions: dimensions + [("reason", "late")],
            factory: factory)
        errorCounter = Counter(
            label: StreamsMetrics.MetricName.recordsDropped, dimensions: dimensions + [("reason", "error")],
            factory: factory)
        deadLetterCounter = Counter(
            label: StreamsMetrics.MetricName.recordsDeadLettered, dimensions: dimensions, factory: factory)
    }
}
