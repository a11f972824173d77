import Foundation
import Testing
import TributaryKafka
import ZIPFoundation
@testable import TributaryConnectors

/// The live GDELT path against a loopback server serving `lastupdate.txt` and real GDELT zips, producing to the
/// embedded cluster.
@Suite(.serialized, .timeLimit(.minutes(2))) struct GDELTLoopbackTests {
    static let topic = "gdelt.events"

    /// A served directory with GDELT's own zip of 20190121220000 and a zip of the recorded 20191024143000 export
    /// (GDELT's zip of that slot is not in the data set; made here with ZIPFoundation), and a fresh state file.
    struct Fixture {
        let directory: String
        let stateFile: ResumeStateFile
        let server: LocalIngestServer
        let zipA: [UInt8]
        let zipB: [UInt8]

        init() throws {
            directory = try TestSupport.temporaryDirectory()
            try FileManager.default.copyItem(
                atPath: TestSupport.data("gdelt/20190121220000.export.CSV.zip"),
                toPath: directory + "/20190121220000.export.CSV.zip")
            let archive = try Archive(url: URL(fileURLWithPath: directory + "/20191024143000.export.CSV.zip"), accessMode: .create)
            try archive.addEntry(
                with: "20191024143000.export.CSV", relativeTo: URL(fileURLWithPath: TestSupport.data("gdelt")),
                compressionMethod: .deflate)
            zipA = Array(try #require(FileManager.default.contents(atPath: directory + "/20190121220000.export.CSV.zip")))
            zipB = Array(try #require(FileManager.default.contents(atPath: directory + "/20191024143000.export.CSV.zip")))
            stateFile = ResumeStateFile(path: directory + "/state/gdelt.events.gdelt.json")
            server = try LocalIngestServer(arguments: ["--dir", directory])
        }

        /// Writes `lastupdate.txt` naming `slot`'s zip with `size` and `md5` (plus mentions and GKG lines, which the
        /// connector must ignore), in GDELT's format.
        func publish(slot: String, size: Int, md5: String) throws {
            let host = "http://data.gdeltproject.org/gdeltv2"
            let text = """
                \(size) \(md5) \(host)/\(slot).export.CSV.zip
                1000 0123456789abcdef0123456789abcdef \(host)/\(slot).mentions.CSV.zip
                2000 fedcba9876543210fedcba9876543210 \(host)/\(slot).gkg.csv.zip

                """
            try text.write(toFile: directory + "/lastupdate.txt", atomically: true, encoding: .utf8)
        }

        func connector(_ output: RecordOutput) throws -> GDELTConnector {
            var configuration = GDELTConnector.Configuration()
            configuration.baseURL = server.url("/gdeltv2")
            configuration.stateFile = stateFile
            return try GDELTConnector(output: output, configuration: configuration, logger: TestSupport.logger)
        }

        func requests() throws -> [String: Int] { try server.json("/requests", as: [String: Int].self) }
    }

    @Test func batchesAreProducedOnceDespiteRepeatedLastUpdateAndRestart() throws {
        let fixture = try Fixture()
        let cluster = try TestSupport.cluster(topic: Self.topic)
        defer { cluster.shutdown() }
        try withExtendedLifetime(cluster) {
            try fixture.publish(slot: "20190121220000", size: fixture.zipA.count, md5: MD5.hex(fixture.zipA))
            do {
                let output = try RecordOutput(topic: Self.topic, bootstrapServers: cluster.bootstrapServers)
                defer { output.close() }
                let connector = try fixture.connector(output)
                #expect(try connector.pollOnce() == 1)
                #expect(try connector.pollOnce() == 0)  // lastupdate.txt has not moved
                #expect(connector.metrics.snapshot.skippedBatches == 1)
                #expect(connector.metrics.snapshot.produced == 1629)
            }
            #expect(try fixture.stateFile.load().lastBatch == "20190121220000")
            #expect(try TestSupport.readAll(cluster, topic: Self.topic).count == 1629)

            // Restart: a new connector with the same state file does not produce the batch again.
            do {
                let output = try RecordOutput(topic: Self.topic, bootstrapServers: cluster.bootstrapServers)
                defer { output.close() }
                let connector = try fixture.connector(output)
                #expect(try connector.pollOnce() == 0)
                #expect(connector.metrics.snapshot.produced == 0)
                // The next batch is produced.
                try fixture.publish(slot: "20191024143000", size: fixture.zipB.count, md5: MD5.hex(fixture.zipB))
                #expect(try connector.pollOnce() == 1)
                #expect(try connector.pollOnce() == 0)
                #expect(connector.metrics.snapshot.produced == 2111)
            }
            let messages = try TestSupport.readAll(cluster, topic: Self.topic)
            #expect(messages.count == 1629 + 2111)
            let requests = try fixture.requests()
            #expect(requests["/gdeltv2/20190121220000.export.CSV.zip"] == 1)  // downloaded once in all
            #expect(requests["/gdeltv2/20191024143000.export.CSV.zip"] == 1)
            #expect(requests["/gdeltv2/lastupdate.txt"] == 5)

            // Records: key ActionGeo_CountryCode, timestamp DATEADDED, one JSON object of 61 columns per row, in order.
            let first = messages[0]
            #expect(first.key == nil)  // row 1 of 20190121220000 has no ActionGeo_CountryCode
            #expect(first.timestamp == 1_548_108_000_000)  // 2019-01-21T22:00:00Z
            let object = try TestSupport.json(first)
            #expect(object.count == 61)
            #expect((object["GLOBALEVENTID"] as? NSNumber)?.int64Value == 817_930_293)
            #expect(messages[1].key.map { String(decoding: $0, as: UTF8.self) } == "US")
            #expect(messages.last?.key.map { String(decoding: $0, as: UTF8.self) } == "SF")
            let ids = try messages.map { try (TestSupport.json($0)["GLOBALEVENTID"] as? NSNumber)?.int64Value ?? 0 }
            #expect(Set(ids).count == ids.count)
            #expect(try TestSupport.readAll(cluster, topic: Self.topic + ".dlq").isEmpty)
        }
    }

    @Test func md5MismatchIsRejectedWithNothingProducedThenRetried() throws {
        let fixture = try Fixture()
        let cluster = try TestSupport.cluster(topic: Self.topic)
        defer { cluster.shutdown() }
        try withExtendedLifetime(cluster) {
            let output = try RecordOutput(topic: Self.topic, bootstrapServers: cluster.bootstrapServers)
            defer { output.close() }
            let connector = try fixture.connector(output)
            try fixture.publish(slot: "20190121220000", size: fixture.zipA.count, md5: String(repeating: "ab", count: 16))
            #expect { try connector.pollOnce() } throws: { ($0 as? GDELTBatchError)?.reason == "md5-mismatch" }
            try fixture.publish(slot: "20190121220000", size: fixture.zipA.count + 1, md5: MD5.hex(fixture.zipA))
            #expect { try connector.pollOnce() } throws: { ($0 as? GDELTBatchError)?.reason == "size-mismatch" }
            #expect(connector.metrics.snapshot.failures == ["md5-mismatch": 1, "size-mismatch": 1])
            #expect(connector.metrics.snapshot.produced == 0)
            #expect(try TestSupport.readAll(cluster, topic: Self.topic).isEmpty)
            #expect(try TestSupport.readAll(cluster, topic: Self.topic + ".dlq").isEmpty)
            #expect(try fixture.stateFile.load().lastBatch == nil)

            // Once lastupdate.txt is right, the same batch is produced, whole.
            try fixture.publish(slot: "20190121220000", size: fixture.zipA.count, md5: MD5.hex(fixture.zipA))
            #expect(try connector.pollOnce() == 1)
            #expect(try TestSupport.readAll(cluster, topic: Self.topic).count == 1629)
        }
    }

    @Test func truncatedZipIsRejectedWithNothingProduced() throws {
        let fixture = try Fixture()
        let cluster = try TestSupport.cluster(topic: Self.topic)
        defer { cluster.shutdown() }
        try withExtendedLifetime(cluster) {
            // Size and MD5 describe the truncated bytes, so only the zip check can catch it.
            let truncated = Array(fixture.zipA.prefix(fixture.zipA.count - 5000))
            try Data(truncated).write(to: URL(fileURLWithPath: fixture.directory + "/20190121220000.export.CSV.zip"))
            try fixture.publish(slot: "20190121220000", size: truncated.count, md5: MD5.hex(truncated))
            let output = try RecordOutput(topic: Self.topic, bootstrapServers: cluster.bootstrapServers)
            defer { output.close() }
            let connector = try fixture.connector(output)
            #expect { try connector.pollOnce() } throws: { ($0 as? GDELTBatchError)?.reason == "bad-zip" }
            #expect(try TestSupport.readAll(cluster, topic: Self.topic).isEmpty)
            #expect(connector.metrics.snapshot.failures["bad-zip"] == 1)
        }
    }

    @Test func backfillFetchesSlotsByURLAndSkipsMissingOnes() throws {
        let fixture = try Fixture()
        let cluster = try TestSupport.cluster(topic: Self.topic)
        defer { cluster.shutdown() }
        try withExtendedLifetime(cluster) {
            let output = try RecordOutput(topic: Self.topic, bootstrapServers: cluster.bootstrapServers)
            defer { output.close() }
            let connector = try fixture.connector(output)
            // 21:45 and 22:15 are missing (404); 22:00 is served.
            #expect(try connector.backfill(from: 20_190_121_214_500, to: 20_190_121_221_500) == 1)
            #expect(connector.metrics.snapshot.failures["http-404"] == 2)
            #expect(try TestSupport.readAll(cluster, topic: Self.topic).count == 1629)
            // Again: the state says 22:00 was produced; nothing is fetched or produced.
            #expect(try connector.backfill(from: 20_190_121_220_000, to: 20_190_121_220_000) == 0)
            #expect(try fixture.requests()["/gdeltv2/20190121220000.export.CSV.zip"] == 1)
        }
    }

    /// Replays the bundled files with `--as-consecutive-batches`: each file becomes the next 15-minute slot.
    @Test func replayAsConsecutiveBatchesShiftsEachFileToItsSlot() throws {
        let cluster = try TestSupport.cluster(topic: Self.topic)
        defer { cluster.shutdown() }
        try withExtendedLifetime(cluster) {
            let output = try RecordOutput(topic: Self.topic, bootstrapServers: cluster.bootstrapServers)
            defer { output.close() }
            let connector = try GDELTConnector(output: output, configuration: .init(), logger: TestSupport.logger)
            let start = try #require(EventTime.parseISO8601("2026-01-01T00:00:00Z"))
            // data/gdelt has 3 slots (the 20190121220000 .CSV and .CSV.zip are one batch).
            #expect(try connector.replay(directory: TestSupport.data("gdelt"), timeShift: .consecutiveBatches(startMilliseconds: start)) == 3)
            let messages = try TestSupport.readAll(cluster, topic: Self.topic)
            #expect(messages.count == 2116 + 1629 + 2111)
            let times = messages.map(\.timestamp)
            #expect(Array(Set(times)).sorted() == [start, start + 900_000, start + 1_800_000])
            #expect(times.filter { $0 == start + 900_000 }.count == 1629)
            let dateAdded = try (TestSupport.json(messages[2116])["DATEADDED"] as? NSNumber)?.int64Value
            #expect(dateAdded == 20_260_101_001_500)
        }
    }
}

extension GDELTLoopbackTests {
    /// Rows that do not parse go to `gdelt.events.dlq` (raw bytes, reason headers) in the same batch as the good rows.
    @Test func badRowsGoToTheDeadLetterTopicWithTheirReason() throws {
        let directory = try TestSupport.temporaryDirectory()
        let lines = try String(contentsOfFile: TestSupport.data("gdelt/20190121220000.export.CSV"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        var badDate = lines[2].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        badDate[59] = "2019012122"
        let rows = [lines[0], "not\ta\trow", lines[1], badDate.joined(separator: "\t"), lines[3]]
        try (rows.joined(separator: "\n") + "\n").write(
            toFile: directory + "/20190121220000.export.CSV", atomically: true, encoding: .utf8)
        let cluster = try TestSupport.cluster(topic: Self.topic)
        defer { cluster.shutdown() }
        try withExtendedLifetime(cluster) {
            let output = try RecordOutput(topic: Self.topic, bootstrapServers: cluster.bootstrapServers)
            defer { output.close() }
            let connector = try GDELTConnector(output: output, configuration: .init(), logger: TestSupport.logger)
            #expect(try connector.replay(directory: directory, timeShift: .none) == 1)
            #expect(connector.metrics.snapshot.dropped == ["wrong-column-count": 1, "bad-date": 1])
            #expect(connector.metrics.snapshot.deadLettered == 2)
            #expect(try TestSupport.readAll(cluster, topic: Self.topic).count == 3)
            let dead = try TestSupport.readAll(cluster, topic: Self.topic + ".dlq")
            #expect(dead.map { $0.value ?? [] } == [Array("not\ta\trow".utf8), Array(badDate.joined(separator: "\t").utf8)])
            #expect(dead.map { TestSupport.header($0, "tributary.dlq.reason") } == ["wrong-column-count", "bad-date"])
            #expect(dead.map { TestSupport.header($0, "tributary.dlq.position") } == ["2", "4"])
        }
    }
}

extension GDELTLoopbackTests {
    /// A replay reads each file while the previous batch's acknowledgements arrive: every batch is still completed
    /// (counted, its slot saved) by the time `replay` returns, and a second replay with the state produces nothing.
    @Test func replaySavesEveryBatchAndARepeatedReplaySkipsThem() throws {
        let directory = try TestSupport.temporaryDirectory()
        let cluster = try TestSupport.cluster(topic: Self.topic)
        defer { cluster.shutdown() }
        try withExtendedLifetime(cluster) {
            let output = try RecordOutput(topic: Self.topic, bootstrapServers: cluster.bootstrapServers)
            defer { output.close() }
            var configuration = GDELTConnector.Configuration()
            configuration.stateFile = ResumeStateFile(path: directory + "/gdelt.json")
            let first = try GDELTConnector(output: output, configuration: configuration, logger: TestSupport.logger)
            #expect(try first.replay(directory: TestSupport.data("gdelt"), timeShift: .none) == 3)
            #expect(first.metrics.snapshot.batches == 3)
            #expect(first.metrics.snapshot.produced == 2116 + 1629 + 2111)
            #expect(first.metrics.snapshot.lastEventTime == GDELTSlot.milliseconds(20_191_024_143_000))
            let saved = try #require(configuration.stateFile).load()
            #expect(saved.lastBatch == "20191024143000")
            #expect(saved.lastEventTime == "2019-10-24T14:30:00.000Z")
            #expect(try TestSupport.readAll(cluster, topic: Self.topic).count == 2116 + 1629 + 2111)

            let second = try GDELTConnector(output: output, configuration: configuration, logger: TestSupport.logger)
            #expect(try second.replay(directory: TestSupport.data("gdelt"), timeShift: .none) == 0)
            #expect(second.metrics.snapshot.skippedBatches == 3)
            #expect(try TestSupport.readAll(cluster, topic: Self.topic).count == 2116 + 1629 + 2111)
        }
    }
}
