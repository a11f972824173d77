// swift-tools-version: 6.2
import PackageDescription

/// Every Tributary target builds with warnings as errors.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "Tributary",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TributaryCore", targets: ["TributaryCore"]),
        .library(name: "TributaryKafka", targets: ["TributaryKafka"]),
        .library(name: "TributaryRocksDB", targets: ["TributaryRocksDB"]),
        .library(name: "TributaryRuntime", targets: ["TributaryRuntime"]),
        .library(name: "TributaryTesting", targets: ["TributaryTesting"]),
        .library(name: "TributaryHTTP", targets: ["TributaryHTTP"]),
        .executable(name: "tributary", targets: ["TributaryCLI"]),
        .executable(name: "wikiedits", targets: ["WikiEdits"]),
        .executable(name: "wordcount", targets: ["WordCount"]),
        .executable(name: "adclicks", targets: ["AdClicks"]),
        .executable(name: "georisk", targets: ["GeoRisk"]),
        .executable(name: "tributary-bench", targets: ["TributaryBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // C libraries from Debian, found with pkg-config.
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(name: "CRocksDB", pkgConfig: "rocksdb", providers: [.apt(["librocksdb-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // Core: DSL, Processor API, serdes, topology graph, task execution. No C, no I/O.
        .target(
            name: "TributaryCore",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .target(
            name: "TributaryKafka",
            dependencies: ["CRdKafka", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        // RocksDB's C API lacks WriteBufferManager; this C++ shim adds the one call bounded memory needs.
        .target(name: "CRocksDBMemory", dependencies: ["CRocksDB"]),
        .target(
            name: "TributaryRocksDB", dependencies: ["CRocksDB", "CRocksDBMemory", "TributaryCore"], swiftSettings: strict),
        // libcurl: streaming HTTP and server-sent events for the connectors.
        .target(
            name: "TributaryHTTP",
            dependencies: ["CCurl", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        // Connectors: Wikimedia EventStreams and GDELT 2.0 batches into Kafka topics (live and replayed).
        .target(
            name: "TributaryConnectors",
            dependencies: [
                "TributaryCore",
                "TributaryHTTP", "TributaryKafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strict),
        // Interactive queries: the HTTP query port over a registry of the stores the stream threads hold.
        .target(
            name: "TributaryQuery",
            dependencies: [
                "TributaryCore", "TributaryRocksDB", "TributaryHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "TributaryRuntime",
            dependencies: [
                "TributaryCore", "TributaryKafka", "TributaryRocksDB", "TributaryQuery",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict),
        .target(name: "TributaryTesting", dependencies: ["TributaryCore"], swiftSettings: strict),
        .executableTarget(
            name: "TributaryCLI",
            dependencies: [
                "TributaryKafka", "TributaryRuntime", "TributaryConnectors",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // Topologies: a library with the pure topology (tested through TopologyTestDriver) and a thin executable.
        .target(
            name: "WikiEditsTopology", dependencies: ["TributaryCore"], path: "topologies/WikiEdits/Topology",
            swiftSettings: strict),
        .executableTarget(
            name: "WikiEdits",
            dependencies: ["TributaryCore", "TributaryRuntime", "WikiEditsTopology"],
            path: "topologies/WikiEdits/App",
            swiftSettings: strict),
        .executableTarget(
            name: "TributaryBench",
            dependencies: [
                "TributaryCore", "TributaryKafka", "TributaryRocksDB", "TributaryRuntime", "WikiEditsTopology",
                "TributaryConnectors", "GeoRiskTopology", "TributaryHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "AdClicksTopology", dependencies: ["TributaryCore"], path: "topologies/AdClicks/Topology",
            swiftSettings: strict),
        .executableTarget(
            name: "AdClicks",
            dependencies: ["TributaryCore", "TributaryRuntime", "AdClicksTopology"],
            path: "topologies/AdClicks/App",
            swiftSettings: strict),
        .target(
            name: "GeoRiskTopology", dependencies: ["TributaryCore"], path: "topologies/GeoRisk/Topology",
            swiftSettings: strict),
        .executableTarget(
            name: "GeoRisk",
            dependencies: [
                "TributaryCore", "TributaryKafka", "TributaryRuntime", "GeoRiskTopology",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "topologies/GeoRisk/App",
            swiftSettings: strict),
        .target(
            name: "WordCountTopology", dependencies: ["TributaryCore"], path: "topologies/WordCount/Topology",
            swiftSettings: strict),
        .executableTarget(
            name: "WordCount",
            dependencies: ["TributaryCore", "TributaryRuntime", "WordCountTopology"],
            path: "topologies/WordCount/App",
            swiftSettings: strict),

        .testTarget(name: "TributaryCoreTests", dependencies: ["TributaryCore", "TributaryTesting"], swiftSettings: strict),
        .testTarget(
            name: "TributaryQueryTests",
            dependencies: ["TributaryQuery", "TributaryCore", "TributaryRocksDB", "TributaryHTTP"],
            swiftSettings: strict),
        .testTarget(name: "TributaryKafkaTests", dependencies: ["TributaryKafka"], swiftSettings: strict),
        .testTarget(
            name: "TributaryRocksDBTests", dependencies: ["TributaryRocksDB", "TributaryCore", "TributaryTesting"],
            swiftSettings: strict),
        .testTarget(
            name: "TributaryHTTPTests", dependencies: ["TributaryHTTP"],
            // Read through #filePath: the SSE capture and the loopback test server script.
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "TributaryConnectorsTests",
            dependencies: [
                "TributaryConnectors", "TributaryKafka", "TributaryHTTP",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            // Read through #filePath: the loopback test server script.
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "TributaryRuntimeTests",
            // The executables: the shutdown, kill and end-to-end tests run the built binaries as child processes.
            dependencies: [
                "TributaryRuntime", "TributaryKafka", "TributaryCore", "TributaryRocksDB", "TributaryHTTP", "WikiEdits",
                "WordCount", "WikiEditsTopology", "WordCountTopology", "AdClicks", "AdClicksTopology", "GeoRisk",
                "TributaryCLI",
            ],
            exclude: ["Fixtures"],
            swiftSettings: strict),
        .testTarget(
            name: "TopologyTests",
            dependencies: ["WikiEditsTopology", "WordCountTopology", "GeoRiskTopology", "TributaryTesting", "TributaryCore"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict),
    ],
    cxxLanguageStandard: .cxx17
)
