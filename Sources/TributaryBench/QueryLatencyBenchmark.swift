import Foundation
import GeoRiskTopology
import Logging
import TributaryCore
import TributaryHTTP
import TributaryKafka
import TributaryRuntime

/// The `query-latency` workload: key lookups on a running GeoRisk's query port while it processes.
///
/// Fills the embedded cluster like `georisk` (``GeoRiskBenchmark``, `rounds` rounds of the bundled sample), starts
/// GeoRisk on one stream thread with a query port on 127.0.0.1, waits for the first signals in
/// `country-risk-latest`, then, while GeoRisk keeps processing, sends `GET /v1/stores/country-risk-latest/keys/{code}`
/// at a fixed rate from one loopback client (libcurl, a new connection per request), cycling over the country codes
/// of the gazetteer; every key is local (one instance holds every partition). Latency is measured from each
/// request's scheduled send time to its complete answer, so a slow answer also delays the ones behind it (no
/// coordinated omission). Answers are 200 (the latest signal) or 404 (a country without a signal yet).
struct QueryLatencyBenchmark {
    let rounds: Int
    let dataDirectory: String
    let rate: Int
    let seconds: Int

    func run() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        defer { cluster.shutdown() }
        let bench = GeoRiskBenchmark(rounds: rounds, dataDirectory: dataDirectory, memoryBytes: 128 << 20)
        let topology = try bench.prepare(cluster)
        try cluster.createTopic("\(GeoRiskBenchmark.applicationID)-instances", partitions: 1)
        let (gdelt, wiki) = try bench.fill(cluster)
        print("filled \(gdelt) GDELT rows and \(wiki) Wikipedia edits")

        var config = StreamsConfig(applicationID: GeoRiskBenchmark.applicationID, bootstrapServers: cluster.bootstrapServers)
        config.threads = 1
        config.errorPolicies = GeoRiskTopology.errorPolicies
        config.queryPort = QueryPortOptions(port: 0)
        config.stateDirectory = NSTemporaryDirectory() + "tributary-bench-query-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: config.stateDirectory) }
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let app = StreamsApp(topology: topology, config: config, logger: logger)
        try app.start()
        defer {
            app.stop()
            try? app.waitUntilStopped()
        }
        guard let port = app.queryPort else { throw BenchFailure(message: "the query port did not start") }
        let codes = try Gazetteer.load(path: "data/georisk/gazetteer.tsv").countries.map(\.code)
        let client = HTTPClient(logger: logger)
        func lookup(_ code: String) throws -> Int {
            try client.fetch(HTTPRequest(
                url: "http://127.0.0.1:\(port)/v1/stores/\(GeoRiskTopology.latestStore)/keys/\(code)",
                connectTimeout: .seconds(2), totalTimeout: .seconds(10))).status
        }
        let firstDeadline = Date().addingTimeInterval(120)
        while try lookup("US") != 200 {
            guard Date() < firstDeadline else { throw BenchFailure(message: "no signal for US within 120 s") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let processedBefore = app.recordsProcessed

        let total = rate * seconds
        let intervalNs = 1_000_000_000 / UInt64(rate)
        var latenciesMs: [Double] = []
        latenciesMs.reserveCapacity(total)
        var statuses: [Int: Int] = [:]
        let start = DispatchTime.now().uptimeNanoseconds
        for index in 0..<total {
            let scheduled = start + UInt64(index) * intervalNs
            let now = DispatchTime.now().uptimeNanoseconds
            if now < scheduled { usleep(UInt32((scheduled - now) / 1_000)) }
            let status = try lookup(codes[index % codes.count])
            statuses[status, default: 0] += 1
            latenciesMs.append(Double(DispatchTime.now().uptimeNanoseconds - scheduled) / 1e6)
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let processedDuring = app.recordsProcessed - processedBefore
        latenciesMs.sort()
        func percentile(_ p: Double) -> Double { latenciesMs[min(latenciesMs.count - 1, Int(Double(latenciesMs.count) * p))] }
        print(String(
            format: "%d lookups at %d/s over %.1f s: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms; statuses %@",
            total, rate, elapsed, percentile(0.5), percentile(0.9), percentile(0.99), latenciesMs.last ?? 0,
            statuses.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")))
        print("GeoRisk processed \(processedDuring) records during the measurement (it was busy, not idle)")
        print(String(
            format: "RESULT workload=query-latency requests=%d rate=%d seconds=%.3f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f processed_during=%d",
            total, rate, elapsed, percentile(0.5), percentile(0.9), percentile(0.99), latenciesMs.last ?? 0,
            processedDuring))
    }

    struct BenchFailure: Error { let message: String }
}
