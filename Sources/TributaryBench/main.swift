import ArgumentParser
import Foundation

/// `tributary-bench`: throughput, latency and memory of Tributary workloads on the embedded cluster.
/// Every workload ends with one machine-readable `RESULT ...` line.
struct TributaryBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tributary-bench", abstract: "Benchmarks on the embedded Kafka cluster.",
        subcommands: [
            Stateless.self, WindowedCount.self, WindowedJoin.self, Restore.self, GeoRisk.self, QueryLatency.self, IngestGDELT.self,
            IngestWikimedia.self,
        ])

    struct GeoRisk: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "georisk",
            abstract: "GeoRisk end to end over the bundled real sample replayed many times, against raw consumption.")

        @Option(help: "Input records (GDELT rows and Wikipedia edits), rounded up to whole rounds of the 62,633-record sample.")
        var records: Int = 1_000_000

        @Option(help: "Memory for the RocksDB stores, in MiB.")
        var stateMemoryMb: Int = 128

        @Option(help: "The GeoRisk sample directory (gdelt/, wikimedia/).")
        var data: String = "data/demo/georisk"

        func validate() throws {
            if records < 1 { throw ValidationError("--records must be positive") }
            if stateMemoryMb < 8 { throw ValidationError("--state-memory-mb must be at least 8") }
            if !FileManager.default.fileExists(atPath: data + "/gdelt") {
                throw ValidationError("--data: no directory '\(data)/gdelt'; run from the repository root or pass --data")
            }
        }

        func run() throws {
            let perRound = 59_660 + 2_973
            try GeoRiskBenchmark(
                rounds: (records + perRound - 1) / perRound, dataDirectory: data, memoryBytes: stateMemoryMb << 20
            ).run()
        }
    }

    struct QueryLatency: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "query-latency",
            abstract: "Key lookups on GeoRisk's query port at a fixed rate while it processes: p50/p90/p99.")

        @Option(help: "Rounds of the GeoRisk sample to fill (enough to keep GeoRisk busy during the measurement).")
        var rounds: Int = 8

        @Option(help: "Requests per second.")
        var rate: Int = 200

        @Option(help: "Seconds to measure.")
        var seconds: Int = 20

        @Option(help: "The GeoRisk sample directory (gdelt/, wikimedia/).")
        var data: String = "data/demo/georisk"

        func validate() throws {
            if rounds < 1 || rate < 1 || seconds < 1 { throw ValidationError("--rounds, --rate and --seconds must be positive") }
            if rate > 5_000 { throw ValidationError("--rate is at most 5000 (one client thread)") }
            if !FileManager.default.fileExists(atPath: data + "/gdelt") {
                throw ValidationError("--data: no directory '\(data)/gdelt'; run from the repository root or pass --data")
            }
        }

        func run() throws {
            try QueryLatencyBenchmark(rounds: rounds, dataDirectory: data, rate: rate, seconds: seconds).run()
        }
    }

    struct Stateless: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "WikiEdits (JSON in, filter, map, JSON out) against raw consumption of the same topic.")

        @Option(help: "Input records.")
        var records: Int = 1_000_000

        @Option(help: "Input topic partitions.")
        var partitions: Int = 4

        @Option(help: "wikiedits (the WikiEdits topology) or passthrough (bytes in, bytes out).")
        var topology: String = "wikiedits"

        @Option(help: "Directory of .jsonl recordings to cycle through.")
        var data: String = "data/wikimedia"

        func validate() throws {
            if records < 1 { throw ValidationError("--records must be positive") }
            if partitions < 1 { throw ValidationError("--partitions must be positive") }
            if !["wikiedits", "passthrough"].contains(topology) {
                throw ValidationError("--topology must be wikiedits or passthrough, got '\(topology)'")
            }
            if !FileManager.default.fileExists(atPath: data) {
                throw ValidationError("--data: no directory '\(data)'; run from the repository root or pass --data")
            }
        }

        func run() throws {
            try StatelessBenchmark(
                records: records, partitions: partitions, dataDirectory: data, topologyName: topology
            ).run()
        }
    }
}

extension TributaryBench {
    struct WindowedCount: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "windowed-count",
            abstract: "Per-key 1-minute window counts (RocksDB, changelog, emit-final) against raw consumption.")

        @Option(help: "Input records.")
        var records: Int = 1_000_000

        @Option(help: "Input topic partitions.")
        var partitions: Int = 4

        @Option(help: "Directory of .jsonl recordings to cycle through.")
        var data: String = "data/wikimedia"

        @Option(help: "RocksDB memory bound (block cache with memtables charged to it), in MiB.")
        var memoryMb: Int = 128

        func validate() throws {
            if records < 1 || partitions < 1 { throw ValidationError("--records and --partitions must be positive") }
            if memoryMb < 8 { throw ValidationError("--memory-mb must be at least 8") }
            if !FileManager.default.fileExists(atPath: data) {
                throw ValidationError("--data: no directory '\(data)'; run from the repository root or pass --data")
            }
        }

        func run() throws {
            try WindowedCountBenchmark(
                records: records, partitions: partitions, dataDirectory: data, memoryBytes: memoryMb << 20
            ).run()
        }
    }

    struct WindowedJoin: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "windowed-join",
            abstract: "Stream-stream join of two topics, 1-minute window (RocksDB window stores, changelogs) against raw consumption.")

        @Option(help: "Records per input topic.")
        var records: Int = 500_000

        @Option(help: "Partitions of each input topic.")
        var partitions: Int = 4

        @Option(help: "Join kind: inner, left or outer.")
        var kind: String = "inner"

        @Option(help: "RocksDB memory bound (block cache with memtables charged to it), in MiB.")
        var memoryMb: Int = 128

        func validate() throws {
            if records < 1 || partitions < 1 { throw ValidationError("--records and --partitions must be positive") }
            if memoryMb < 8 { throw ValidationError("--memory-mb must be at least 8") }
            if WindowedJoinBenchmark.Kind(rawValue: kind) == nil { throw ValidationError("--kind: inner, left or outer") }
        }

        func run() throws {
            try WindowedJoinBenchmark(
                records: records, partitions: partitions, kind: WindowedJoinBenchmark.Kind(rawValue: kind)!,
                memoryBytes: memoryMb << 20
            ).run()
        }
    }

    struct IngestGDELT: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ingest-gdelt",
            abstract: "GDELT replay path: read export files, parse 61 columns, produce JSON rows (rows/s).")

        @Option(help: "Directory of GDELT export files (.CSV, .CSV.zip, with or without a header line).")
        var data: String = "data/gdelt"

        @Option(help: "How many times to replay the directory.")
        var rounds: Int = 5

        @Option(help: "Partitions of gdelt.events.")
        var partitions: Int = 4

        func validate() throws {
            if rounds < 1 { throw ValidationError("--rounds must be positive") }
            if !FileManager.default.fileExists(atPath: data) {
                throw ValidationError("--data: no directory '\(data)'; run from the repository root or pass --data")
            }
        }

        func run() throws {
            try IngestBenchmark(source: .gdelt, dataDirectory: data, rounds: rounds, partitions: partitions).run()
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild a RocksDB store from a changelog, against raw consumption of the changelog.")

        @Option(help: "Changelog records.")
        var records: Int = 1_000_000

        @Option(help: "Distinct keys among them.")
        var keys: Int = 100_000

        @Option(help: "RocksDB memory bound (block cache with memtables charged to it), in MiB.")
        var memoryMb: Int = 128

        func validate() throws {
            if records < 1 || keys < 1 { throw ValidationError("--records and --keys must be positive") }
            if memoryMb < 8 { throw ValidationError("--memory-mb must be at least 8") }
        }

        func run() throws {
            try RestoreBenchmark(records: records, keys: keys, memoryBytes: memoryMb << 20).run()
        }
    }

    struct IngestWikimedia: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ingest-wikimedia",
            abstract: "Wikimedia replay path: read .jsonl recordings, parse the routing fields, produce the events (events/s).")

        @Option(help: "Directory of .jsonl recordings.")
        var data: String = "data/wikimedia"

        @Option(help: "How many times to replay the directory.")
        var rounds: Int = 20

        @Option(help: "Partitions of wikimedia.recentchange.")
        var partitions: Int = 4

        func validate() throws {
            if rounds < 1 { throw ValidationError("--rounds must be positive") }
            if !FileManager.default.fileExists(atPath: data) {
                throw ValidationError("--data: no directory '\(data)'; run from the repository root or pass --data")
            }
        }

        func run() throws {
            try IngestBenchmark(source: .wikimedia, dataDirectory: data, rounds: rounds, partitions: partitions).run()
        }
    }
}

TributaryBench.main()
