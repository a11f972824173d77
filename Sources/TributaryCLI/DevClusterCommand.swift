import ArgumentParser
import Dispatch
import TributaryKafka
import TributaryRuntime

#if canImport(Glibc)
import Glibc
#endif

/// `tributary dev-cluster`: runs an in-process Kafka cluster until SIGINT/SIGTERM.
///
/// The first stdout line is exactly `bootstrap.servers=<list>`. Exits 0 after a
/// signal; exits non-zero (message on stderr) if the cluster reports data loss.
struct DevClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-cluster",
        abstract: "Run an in-memory Kafka cluster (librdkafka mock) for development.",
        discussion: "All data is kept in memory. Stop with Ctrl-C or SIGTERM.")

    /// A `--topic NAME:PARTITIONS` argument.
    struct TopicSpec: ExpressibleByArgument {
        let name: String
        let partitions: Int

        init?(argument: String) {
            guard let colon = argument.lastIndex(of: ":") else { return nil }
            let name = String(argument[..<colon])
            guard !name.isEmpty, let partitions = Int(argument[argument.index(after: colon)...]), partitions > 0 else {
                return nil
            }
            self.name = name
            self.partitions = partitions
        }
    }

    @Option(help: "Number of brokers.")
    var brokers: Int = 3

    @Option(help: "Partition count of topics that clients auto-create.")
    var defaultPartitions: Int = 1

    @Option(name: .customLong("topic"), help: "Topic to create, as NAME:PARTITIONS (repeatable), e.g. --topic demo:3.")
    var topics: [String] = []

    func validate() throws {
        guard brokers >= 1 else { throw ValidationError("--brokers must be at least 1") }
        guard defaultPartitions >= 1 else { throw ValidationError("--default-partitions must be at least 1") }
        for topic in topics where TopicSpec(argument: topic) == nil {
            throw ValidationError("invalid --topic '\(topic)': write NAME:PARTITIONS with PARTITIONS a positive integer, e.g. --topic demo:3")
        }
    }

    func run() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: brokers, defaultPartitions: defaultPartitions)
        for topic in topics.compactMap(TopicSpec.init(argument:)) {
            try cluster.createTopic(topic.name, partitions: topic.partitions, replicationFactor: min(3, brokers))
        }
        print("bootstrap.servers=\(cluster.bootstrapServers)")
        fflush(nil)  // flushes stdout: the bootstrap line must reach a pipe reader now

        let exitCode = ExitSignal()
        let queue = DispatchQueue(label: "tributary.dev-cluster")
        let signals = SignalWatcher { _ in queue.async { exitCode.finish(0) } }
        let health = DispatchSource.makeTimerSource(queue: queue)
        health.schedule(deadline: .now() + .milliseconds(200), repeating: .milliseconds(200))
        health.setEventHandler {
            do {
                try cluster.checkHealthy()
            } catch {
                let line = "tributary dev-cluster: \(error)\n"
                _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
                exitCode.finish(1)
            }
        }
        health.resume()

        let code = exitCode.wait()
        health.cancel()
        signals.cancel()
        queue.sync {}
        cluster.shutdown()
        if code != 0 { throw ExitCode(code) }
    }
}

/// A one-shot exit code handed from the signal/health queue to the main thread.
///
/// `@unchecked Sendable`: `finish` runs only on the command's serial queue, and
/// `wait` reads `code` only after the semaphore orders it after that write.
private final class ExitSignal: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private var code: Int32 = 0
    private var finished = false

    /// Sets the exit code once and wakes `wait()`; later calls are ignored.
    func finish(_ code: Int32) {
        guard !finished else { return }
        finished = true
        self.code = code
        semaphore.signal()
    }

    /// Blocks until `finish` is called; returns its code.
    func wait() -> Int32 {
        semaphore.wait()
        return code
    }
}
