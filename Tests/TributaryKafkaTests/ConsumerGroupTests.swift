import Foundation
import Synchronization
import Testing
@testable import TributaryKafka

@Suite(.timeLimit(.minutes(1)))
struct ConsumerGroupTests {
    /// Records are produced only once both members hold partitions, so no
    /// rebalance moves a partition with uncommitted progress (which would
    /// legitimately redeliver records: Kafka is at-least-once across rebalances).
    @Test func twoMembersShareFourPartitionsAndResumeFromCommits() throws {
        let cluster = try EmbeddedKafkaCluster()
        try cluster.createTopic("grp", partitions: 4)
        let producer = try KafkaProducer(config: TestSupport.producerConfig(cluster))
        let shared = Shared()
        let all = Set((0..<4).map { TopicPartition(topic: "grp", partition: Int32($0)) })

        // Members block in poll, so they run on their own threads, not in the
        // cooperative pool (which has as few threads as there are CPUs).
        let done = DispatchGroup()
        for member in 0..<2 {
            done.enter()
            Thread.detachNewThread {
                defer { done.leave() }
                do {
                    let consumer = try KafkaConsumer(config: TestSupport.consumerConfig(cluster, group: "g1"))
                    consumer.onAssigned = { partitions in shared.assignments.withLock { $0[member] = partitions } }
                    consumer.onRevoked = { _ in shared.assignments.withLock { $0[member] = [] } }
                    try consumer.subscribe(topics: ["grp"])
                    let clock = ContinuousClock()
                    let deadline = clock.now + .seconds(40)
                    var next: [TopicPartition: Int64] = [:]
                    while clock.now < deadline, shared.seen.withLock({ $0.count }) < 400 {
                        for m in try consumer.poll(maxMessages: 500, timeout: .milliseconds(100)) {
                            shared.seen.withLock { $0[String(decoding: m.value ?? [], as: UTF8.self), default: 0] += 1 }
                            next[TopicPartition(topic: m.topic, partition: m.partition)] = m.offset + 1
                        }
                    }
                    let offsets = next.map { TopicPartitionOffset($0.key, offset: $0.value) }
                    try consumer.commit(offsets)
                    let committed = try consumer.committed(offsets.map(\.topicPartition), timeout: .seconds(5))
                    #expect(Set(committed) == Set(offsets))
                    shared.finished.withLock { $0 += 1 }
                    // Stay in the group until both have committed, so no partition moves early.
                    while clock.now < deadline, shared.finished.withLock({ $0 }) < 2 {
                        _ = try consumer.poll(maxMessages: 1, timeout: .milliseconds(50))
                    }
                    try consumer.close()
                } catch {
                    shared.errors.withLock { $0.append("\(error)") }
                }
            }
        }
        do {
                let clock = ContinuousClock()
                let deadline = clock.now + .seconds(30)
                while clock.now < deadline {
                    let stable = shared.assignments.withLock { a in
                        a.count == 2 && a.values.allSatisfy { !$0.isEmpty } && Set(a.values.joined()) == all
                            && a.values.map(\.count).reduce(0, +) == 4
                    }
                    if stable { break }
                    usleep(50_000)
                }
                for i in 0..<400 {
                    try producer.send(topic: "grp", key: TestSupport.bytes("key-\(i)"), value: TestSupport.bytes("\(i)"))
                }
                try producer.flush(timeout: .seconds(10))
        }
        #expect(done.wait(timeout: .now() + 45) == .success)
        #expect(shared.errors.withLock { $0 } == [])
        let counts = shared.seen.withLock { $0 }
        #expect(counts.count == 400)
        #expect(counts.values.allSatisfy { $0 == 1 })
        let assigned = shared.assignments.withLock { $0 }
        #expect(assigned.count == 2)

        for i in 400..<410 { try producer.send(topic: "grp", key: TestSupport.bytes("key-\(i)"), value: TestSupport.bytes("\(i)")) }
        try producer.flush(timeout: .seconds(10))
        let resumed = try KafkaConsumer(config: TestSupport.consumerConfig(cluster, group: "g1"))
        try resumed.subscribe(topics: ["grp"])
        let rest = try TestSupport.consume(resumed, count: 10, timeout: .seconds(20))
        #expect(rest.map { String(decoding: $0.value ?? [], as: UTF8.self) }.sorted() == (400..<410).map { "\($0)" }.sorted())
        try resumed.close()
    }
}

/// State shared by the group members' tasks.
private final class Shared: Sendable {
    let seen = Mutex<[String: Int]>([:])
    let assignments = Mutex<[Int: [TopicPartition]]>([:])
    let finished = Mutex(0)
    let errors = Mutex<[String]>([])
}
