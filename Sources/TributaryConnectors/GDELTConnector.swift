import Foundation
import Logging
import TributaryHTTP
import TributaryKafka

/// `tributary ingest gdelt`: GDELT 2.0 events exports to a Kafka topic, one JSON record per row.
///
/// Record: key `ActionGeo_CountryCode` (null when empty), value ``GDELTEvent/jsonBytes(dateAdded:)``,
/// timestamp DATEADDED (UTC, shifted when a replay shifts times). Rows that do not parse go to `<topic>.dlq`.
///
/// Batches are atomic: a file is downloaded, checked (size and MD5 from `lastupdate.txt`, zip CRC), unzipped
/// and parsed completely before its first record is sent; a batch that fails any step produces nothing and is
/// tried again at the next poll. After a batch's records are acknowledged its slot is saved in the
/// ``ResumeStateFile``; batches at or before the saved slot are skipped, so a repeated `lastupdate.txt` or a
/// restart never produces a batch twice (a crash between the acknowledgement and the save repeats that one
/// batch: at-least-once).
public final class GDELTConnector: @unchecked Sendable {
    /// Settings of a run.
    public struct Configuration: Sendable {
        /// Where `lastupdate.txt` and the batch zips are: `<baseURL>/lastupdate.txt`, `<baseURL>/<slot>.export.CSV.zip`.
        /// Zips are always fetched from here by file name, whatever host `lastupdate.txt` names.
        public var baseURL = "http://data.gdeltproject.org/gdeltv2"
        /// How often `lastupdate.txt` is polled.
        public var interval: Duration = .seconds(900)
        /// The resume state; nil keeps none (replays by default).
        public var stateFile: ResumeStateFile?
        /// Replay speed, N times real time; nil replays as fast as possible.
        public var speed: Double?
        /// How long a download may take in total.
        public var downloadTimeout: Duration = .seconds(120)
        /// How long to wait before retrying a failed backfill batch (up to 3 tries).
        public var retryDelay: Duration = .seconds(10)

        /// The defaults above.
        public init() {}
    }

    /// How a replay shifts event times (documented for demos; live ingestion never shifts).
    public enum TimeShift: Sendable, Equatable {
        /// Times as recorded.
        case none
        /// Every time moves by one constant so that the first file's slot becomes this time (ms since the epoch).
        case rebase(toMilliseconds: Int64)
        /// File i (in name order) is shifted so that its slot becomes `start + i × 15 min`.
        case consecutiveBatches(startMilliseconds: Int64)
    }

    /// The counters of this connector.
    public let metrics: ConnectorMetrics
    private let output: RecordOutput
    private let configuration: Configuration
    private let logger: Logger
    private let http: HTTPClient
    private let stopSignal = StopSignal()
    private var state: ResumeState

    /// Creates a connector writing to `output`; loads the resume state if there is one.
    public init(output: RecordOutput, configuration: Configuration, logger: Logger, metrics: ConnectorMetrics? = nil) throws {
        self.output = output
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics ?? ConnectorMetrics(name: "gdelt")
        http = HTTPClient(logger: logger)
        state = try configuration.stateFile?.load() ?? ResumeState()
        if let last = state.lastBatch {
            logger.info("gdelt: resuming after batch \(last) (\(configuration.stateFile?.path ?? ""))")
        }
    }

    /// Stops the current run at the next batch boundary or sleep (from any thread).
    public func stop() { stopSignal.stop() }

    /// The newest batch slot produced (from the resume state), if any.
    public var lastBatch: Int64? { state.lastBatch.flatMap { Int64($0) } }

    // MARK: Live

    /// Polls `lastupdate.txt` every ``Configuration/interval`` until stopped, or once with `once`.
    /// - Returns: the number of polls that failed (HTTP errors, bad batches); failed batches are retried at the next poll.
    @discardableResult
    public func runLive(once: Bool) -> Int {
        var failures = 0
        repeat {
            do {
                try pollOnce()
            } catch {
                failures += 1
                logger.error("gdelt: poll failed, retrying at the next poll: \(error)")
            }
            if once || stopSignal.isStopped { break }
        } while stopSignal.sleep(configuration.interval)
        return failures
    }

    /// Fetches `lastupdate.txt` once and produces its export batch unless it was produced before.
    /// - Returns: the number of batches produced (0 when `lastupdate.txt` repeats a produced batch).
    /// - Throws: ``HTTPError`` or ``GDELTBatchError``; nothing of a failed batch was produced.
    @discardableResult
    public func pollOnce() throws -> Int {
        let url = configuration.baseURL + "/lastupdate.txt"
        let body: HTTPResponse
        do {
            body = try http.get(request(url), maxBodyBytes: 1 << 20)
        } catch {
            metrics.countFailure("http-error")
            throw error
        }
        let entries: [GDELTFileEntry]
        do {
            entries = try GDELTFileEntry.exportEntries(lastUpdate: String(decoding: body.body, as: UTF8.self))
        } catch {
            metrics.countFailure(error.reason)
            throw error
        }
        var produced = 0
        for entry in entries {
            guard let slot = GDELTBatch.slot(fromFileName: entry.fileName) else {
                metrics.countFailure("bad-lastupdate")
                throw GDELTBatchError(reason: "bad-lastupdate", message: "no slot in file name \(entry.url)")
            }
            if let last = lastBatch, slot <= last {
                metrics.countSkippedBatch()
                logger.debug("gdelt: batch \(slot) was produced before; lastupdate.txt has not moved")
                continue
            }
            if let last = lastBatch, let lastMs = GDELTSlot.milliseconds(last), let slotMs = GDELTSlot.milliseconds(slot),
                slotMs - lastMs > GDELTSlot.intervalMilliseconds
            {
                logger.warning(
                    "gdelt: batches between \(last) and \(slot) were missed; fetch them with --backfill \(GDELTSlot.slot(lastMs + GDELTSlot.intervalMilliseconds))..\(GDELTSlot.slot(slotMs - GDELTSlot.intervalMilliseconds))"
                )
            }
            let zipURL = configuration.baseURL + "/" + entry.fileName
            let zip = try download(zipURL)
            let csv: [UInt8]
            do {
                try GDELTArchive.verify(zip, size: entry.size, md5: entry.md5, source: zipURL)
                csv = try GDELTArchive.unzip(zip, source: zipURL)
            } catch {
                metrics.countFailure(error.reason)
                logger.error("gdelt: rejected batch \(slot), nothing produced: \(error)")
                throw error
            }
            try produce(GDELTBatch(csv: csv, source: zipURL, slot: slot), shift: 0)
            produced += 1
        }
        return produced
    }

    /// Fetches and produces the batches of slots `from...to` (15-minute steps) by their URLs, skipping slots
    /// at or before the resume state. A missing batch (HTTP 404) is counted and skipped; any other failure is
    /// retried twice, then ends the backfill with the error (the state stays at the last batch produced).
    /// - Returns: the number of batches produced.
    @discardableResult
    public func backfill(from: Int64, to: Int64) throws -> Int {
        guard let start = GDELTSlot.milliseconds(from), let end = GDELTSlot.milliseconds(to) else {
            throw GDELTBatchError(reason: "bad-range", message: "backfill range \(from)..\(to) is not two YYYYMMDDHHMMSS slots")
        }
        var produced = 0
        var time = start
        while time <= end, !stopSignal.isStopped {
            defer { time += GDELTSlot.intervalMilliseconds }
            let slot = GDELTSlot.slot(time)
            if let last = lastBatch, slot <= last {
                metrics.countSkippedBatch()
                continue
            }
            let url = "\(configuration.baseURL)/\(slot).export.CSV.zip"
            var attempt = 1
            while true {
                do {
                    let zip = try download(url)
                    let csv = try GDELTArchive.unzip(zip, source: url)
                    try produce(GDELTBatch(csv: csv, source: url, slot: slot), shift: 0)
                    produced += 1
                    break
                } catch let error as HTTPError where error.status == 404 {
                    metrics.countFailure("http-404")
                    logger.warning("gdelt: no batch \(slot) (HTTP 404 at \(url)); skipping it")
                    break
                } catch {
                    if let batchError = error as? GDELTBatchError { metrics.countFailure(batchError.reason) }
                    guard attempt < 3, !stopSignal.isStopped else { throw error }
                    logger.warning("gdelt: batch \(slot) failed (try \(attempt) of 3), retrying: \(error)")
                    attempt += 1
                    stopSignal.sleep(configuration.retryDelay)
                }
            }
        }
        return produced
    }

    // MARK: Replay

    /// Replays recorded export files from `directory` in file-name order: every regular file whose name
    /// starts with a `YYYYMMDDHHMMSS` slot and contains `.export.` (`.CSV`, `.CSV.zip`, `.with-header.CSV`);
    /// of several files of one slot only the first in name order.
    /// - Returns: the number of batches produced.
    @discardableResult
    public func replay(directory: String, timeShift: TimeShift) throws -> Int {
        var names: [String] = []
        var seenSlots: Set<Int64> = []
        for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() {
            guard name.contains(".export."), let slot = GDELTBatch.slot(fromFileName: name) else { continue }
            // One file per slot: `X.export.CSV` and `X.export.CSV.zip` are the same batch.
            guard seenSlots.insert(slot).inserted else {
                logger.info("gdelt: \(name) is a second file of slot \(slot); replaying only the first")
                continue
            }
            names.append(name)
        }
        guard !names.isEmpty else {
            throw GDELTBatchError(reason: "read-error", message: "no YYYYMMDDHHMMSS.export.* files in \(directory)")
        }
        var pacer = ReplayPacer(speed: configuration.speed)
        let firstSlotMs = GDELTSlot.milliseconds(GDELTBatch.slot(fromFileName: names[0])!)!
        var produced = 0
        // The batch sent last, not yet acknowledged: its acknowledgements arrive while the next file is read and
        // parsed, and it is completed (flushed, counted, its slot saved) before anything of the next is sent.
        var unacknowledged: SentBatch?
        // The events array of the batch sent last, for the next batch to parse into.
        var spareEvents: [GDELTEvent] = []
        for (index, name) in names.enumerated() {
            let slot = GDELTBatch.slot(fromFileName: name)!
            let slotMs = GDELTSlot.milliseconds(slot)!
            let shift: Int64
            switch timeShift {
            case .none: shift = 0
            case .rebase(let target): shift = target - firstSlotMs
            case .consecutiveBatches(let start): shift = start + Int64(index) * GDELTSlot.intervalMilliseconds - slotMs
            }
            let outputSlot = GDELTSlot.slot(slotMs + shift)
            if let last = lastBatch, outputSlot <= last {
                metrics.countSkippedBatch()
                continue
            }
            if configuration.speed != nil, let sent = unacknowledged {
                // Paced: complete the batch before sleeping, so its slot is saved on time.
                unacknowledged = nil
                try complete(sent)
            }
            guard pacer.wait(until: slotMs + shift, stop: stopSignal) else { break }
            let path = (directory as NSString).appendingPathComponent(name)
            var batch: GDELTBatch
            do {
                batch = try GDELTArchive.withContents(of: path) { csv in
                    GDELTBatch(csv: csv, source: path, slot: outputSlot, storage: &spareEvents)
                }
            } catch {
                metrics.countFailure(error.reason)
                logger.error("gdelt: skipping \(path), nothing produced from it: \(error)")
                continue
            }
            if let sent = unacknowledged {
                unacknowledged = nil
                try complete(sent)
            }
            unacknowledged = try send(batch, shift: shift)
            swap(&spareEvents, &batch.events)
            produced += 1
        }
        if let sent = unacknowledged { try complete(sent) }
        return produced
    }

    // MARK: Producing

    /// Produces one fully parsed batch: rows to the topic, rejected rows to the dead-letter topic, then waits for
    /// every acknowledgement and saves the batch's slot. `shift` moves DATEADDED and the record timestamp.
    func produce(_ batch: GDELTBatch, shift: Int64) throws {
        try complete(send(batch, shift: shift))
    }

    /// A batch whose records were all sent, waiting for ``complete(_:)``.
    struct SentBatch {
        var slot: Int64?
        var source: String
        var produced: Int
        var deadLettered: Int
        /// The newest record timestamp, nil for a batch without rows.
        var newest: Int64?
    }

    /// Sends every row of `batch` (rows to the topic, rejected rows to the dead-letter topic) without waiting
    /// for acknowledgements.
    private func send(_ batch: GDELTBatch, shift: Int64) throws -> SentBatch {
        metrics.countIn(batch.events.count + batch.rejected.count)
        var newest: Int64?
        var value: [UInt8] = []
        value.reserveCapacity(2048)
        // Rows of a batch share one DATEADDED (or a few): convert each distinct one once.
        var lastDateAdded: Int64?
        var time: Int64 = 0
        var shiftedDateAdded: Int64?
        for event in batch.events {
            if event.dateAdded != lastDateAdded {
                lastDateAdded = event.dateAdded
                time = GDELTSlot.milliseconds(event.dateAdded)! + shift
                shiftedDateAdded = shift == 0 ? nil : GDELTSlot.slot(time)
                newest = max(newest ?? .min, time)
            }
            value.removeAll(keepingCapacity: true)
            event.appendJSON(to: &value, dateAdded: shiftedDateAdded)
            try output.send(key: event.actionGeoCountryCode, value: value, timestamp: time)
        }
        for row in batch.rejected {
            metrics.countDropped(row.error.reason)
            logger.warning("gdelt: \(batch.source) line \(row.line) to \(output.deadLetterTopic): \(row.error)")
            try output.sendDeadLetter(
                raw: row.raw, reason: row.error.reason, error: row.error.description, source: batch.source,
                position: row.line)
        }
        return SentBatch(
            slot: batch.slot, source: batch.source, produced: batch.events.count, deadLettered: batch.rejected.count,
            newest: newest)
    }

    /// Waits until everything sent so far (`sent` and anything before it) is acknowledged, then counts `sent`
    /// and saves its slot as the resume state.
    private func complete(_ sent: SentBatch) throws {
        try output.flush()
        metrics.countProduced(sent.produced, eventTime: sent.newest)
        metrics.countDeadLettered(sent.deadLettered)
        metrics.countBatch()
        if let slot = sent.slot {
            state.lastBatch = String(slot)
            state.lastEventTime = sent.newest.map(EventTime.formatISO8601)
            try configuration.stateFile?.save(state)
        }
        logger.info(
            "gdelt: batch \(sent.slot.map(String.init) ?? "?") from \(sent.source): \(sent.produced) rows produced, \(sent.deadLettered) to \(output.deadLetterTopic)"
        )
    }

    private func request(_ url: String) -> HTTPRequest {
        HTTPRequest(url: url, connectTimeout: .seconds(10), lowSpeedLimit: 1, lowSpeedTime: .seconds(30),
                    totalTimeout: configuration.downloadTimeout)
    }

    private func download(_ url: String) throws -> [UInt8] {
        do {
            return try http.get(request(url), maxBodyBytes: 64 << 20).body
        } catch let error as HTTPError {
            if error.status != 404 { metrics.countFailure("http-error") }
            logger.error("gdelt: download of \(url) failed: \(error)")
            throw error
        }
    }
}
