import Foundation
import Testing
@testable import TributaryKafka

/// Shared client settings for tests against `EmbeddedKafkaCluster`.
enum TestSupport {
    /// Producer config with fast batching.
    static func producerConfig(_ cluster: EmbeddedKafkaCluster, _ extra: [String: String] = [:]) -> [String: String] {
        ["bootstrap.servers": cluster.bootstrapServers, "linger.ms": "5"].merging(extra) { $1 }
    }

    /// Consumer config for a group reading from the beginning.
    static func consumerConfig(_ cluster: EmbeddedKafkaCluster, group: String, _ extra: [String: String] = [:]) -> [String: String] {
        [
            "bootstrap.servers": cluster.bootstrapServers, "group.id": group,
            "auto.offset.reset": "earliest", "session.timeout.ms": "6000",
            "heartbeat.interval.ms": "500", "fetch.wait.max.ms": "50",
        ].merging(extra) { $1 }
    }

    /// Polls until `count` messages arrived or `timeout` passed.
    static func consume(_ consumer: KafkaConsumer, count: Int, timeout: Duration) throws -> [ConsumerMessage] {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var result: [ConsumerMessage] = []
        while result.count < count, clock.now < deadline {
            result += try consumer.poll(maxMessages: 1000, timeout: .milliseconds(100))
        }
        return result
    }

    /// Current and peak resident set size from /proc/self/status, e.g. "VmRSS 310 MB, VmHWM 402 MB".
    static func residentMegabytes() -> String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "?" }
        return status.split(separator: "\n")
            .filter { $0.hasPrefix("VmRSS") || $0.hasPrefix("VmHWM") }
            .map { line in
                let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                return "\(parts[0].dropLast()) \((Int(parts[1]) ?? 0) / 1024) MB"
            }
            .joined(separator: ", ")
    }

    /// Bytes of a UTF-8 string.
    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
}
