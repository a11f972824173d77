import Logging

/// What every node of one task shares: identity, clocks, stream time, punctuations and the record collector.
final class TaskContext {
    let taskID: TaskID
    let applicationID: String
    let collector: RecordCollector
    let clock: WallClock
    let logger: Logger
    var streamTime: Int64 = Int64.min
    /// The task's stores by name, changelogging wrappers included.
    var stores: [String: StateStore] = [:]
    /// Global stores by name: shared, read-only for the task (see ``SharedKeyValueStore``).
    var globalStores: [String: SharedKeyValueStore] = [:]
    /// Objects that the processors of one operator share within this task, by a key the operator chooses (the
    /// two sides of a stream-stream join share what they know about their unmatched-records store).
    var sharedState: [String: AnyObject] = [:]
    /// The stores each node may use.
    var storesByNode: [String: Set<String>] = [:]
    /// The queue whose head record is being processed; `nil` inside a punctuation. Metadata is read from it
    /// only when a processor asks, so the per-record path stores one reference.
    var currentQueue: PartitionQueue?
    /// Records windowed aggregations dropped as late (their window's end + grace <= stream time).
    var lateDropped = 0
    /// Of those, the records also sent to a dead-letter topic.
    var lateDeadLettered = 0

    /// Topic, partition and offset of the record being processed.
    var currentMetadata: RecordMetadata? {
        currentQueue.flatMap { queue in
            queue.isEmpty ? nil : RecordMetadata(topic: queue.topic, partition: queue.partition, offset: queue.head.offset)
        }
    }
    private(set) var streamTimeSchedules: [PunctuationSchedule] = []
    private(set) var wallClockSchedules: [PunctuationSchedule] = []
    /// The earliest stream time at which a stream-time punctuation is due; `Int64.max` when none is scheduled.
    private(set) var nextStreamTimePunctuation = Int64.max

    init(taskID: TaskID, applicationID: String, collector: RecordCollector, clock: WallClock, logger: Logger) {
        self.taskID = taskID
        self.applicationID = applicationID
        self.collector = collector
        self.clock = clock
        self.logger = logger
    }

    /// The store `name` as `Store`, if node `node` is connected to it.
    func store<Store>(_ name: String, for node: String, as: Store.Type) throws -> Store {
        guard storesByNode[node]?.contains(name) == true, let store = stores[name] as? Store else {
            throw TopologyError.storeNotConnected(node: node, store: name)
        }
        return store
    }

    func add(_ schedule: PunctuationSchedule) {
        switch schedule.type {
        case .streamTime:
            streamTimeSchedules.append(schedule)
            nextStreamTimePunctuation = min(nextStreamTimePunctuation, schedule.nextDue)
        case .wallClockTime:
            wallClockSchedules.append(schedule)
        }
    }

    /// Fires the due punctuations of one kind at `now`; returns how many fired.
    func punctuate(_ type: PunctuationType, now: Int64) throws -> Int {
        let schedules = type == .streamTime ? streamTimeSchedules : wallClockSchedules
        var fired = 0
        currentQueue = nil
        for schedule in schedules where try schedule.fireIfDue(now: now) { fired += 1 }
        if type == .streamTime {
            streamTimeSchedules.removeAll { $0.handle.isCancelled }
            nextStreamTimePunctuation = streamTimeSchedules.map(\.nextDue).min() ?? Int64.max
        } else {
            wallClockSchedules.removeAll { $0.handle.isCancelled }
        }
        return fired
    }
}
