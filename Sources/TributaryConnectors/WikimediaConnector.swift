import Foundation
import Logging
import TributaryHTTP
import TributaryKafka

/// `tributary ingest wikimedia`: Wikimedia EventStreams `recentchange` (server-sent events) to a Kafka topic.
///
/// Record: the event's JSON unchanged (`data` of the SSE message, or the line of a recording), key `wiki`,
/// timestamp `meta.dt`. Canary events (`meta.domain == "canary"`) are dropped; JSON that does not parse or
/// lacks `wiki`/`meta.dt` goes to `<topic>.dlq` with the reason.
///
/// Live: reconnects after a dropped, stalled or failed connection with exponential backoff (from
/// ``Configuration/initialBackoff``, doubling up to ``Configuration/maxBackoff``, back to the start once events
/// flow again), sending `Last-Event-ID` so the stream resumes after the last event received. Events the
/// server repeats after a resume are recognised by their Kafka position (`meta.topic`, `meta.partition`,
/// `meta.offset` not newer than one already produced) and dropped as `duplicate`. The last event id is saved in
/// the ``ResumeStateFile`` after the records before it were acknowledged, so a restart resumes there.
public final class WikimediaConnector: @unchecked Sendable {
    /// Settings of a run.
    public struct Configuration: Sendable {
        /// The EventStreams URL.
        public var url = "https://stream.wikimedia.org/v2/stream/recentchange"
        /// The resume state; nil keeps none (replays by default).
        public var stateFile: ResumeStateFile?
        /// Only events at or after this time (ms since the epoch); live, also sent as `?since=` when there is no
        /// event id to resume from.
        public var since: Int64?
        /// Only these wikis (`wiki` field, e.g. `enwiki`); nil keeps all.
        public var wikis: Set<String>?
        /// Stop after producing this many events.
        public var maxEvents: Int?
        /// The first reconnect delay.
        public var initialBackoff: Duration = .seconds(1)
        /// The longest reconnect delay.
        public var maxBackoff: Duration = .seconds(60)
        /// A connection that delivers no byte for this long is dropped and reopened (Wikimedia sends a comment
        /// line regularly, so silence means a stalled connection).
        public var stallTimeout: Duration = .seconds(60)
        /// Replay speed, N times real time; nil replays as fast as possible.
        public var speed: Double?
        /// How often (at most) the producer is flushed and the resume state saved while the stream runs.
        public var checkpointInterval: Duration = .seconds(1)

        /// The defaults above.
        public init() {}
    }

    /// The counters of this connector.
    public let metrics: ConnectorMetrics
    private let output: RecordOutput
    private let configuration: Configuration
    private let logger: Logger
    private let stream: HTTPStream
    private let stopSignal = StopSignal()
    private var state: ResumeState
    private let decoder = JSONDecoder()
    /// The newest `meta.offset` produced per `meta.topic/meta.partition` (live duplicate detection).
    private var newestOffsets: [String: Int64] = [:]
    private var producedCount = 0

    /// Creates a connector writing to `output`; loads the resume state if there is one.
    public init(output: RecordOutput, configuration: Configuration, logger: Logger, metrics: ConnectorMetrics? = nil) throws {
        self.output = output
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics ?? ConnectorMetrics(name: "wikimedia")
        stream = HTTPClient(logger: logger).makeStream(HTTPRequest(url: configuration.url))
        state = try configuration.stateFile?.load() ?? ResumeState()
        if let id = state.lastEventID {
            logger.info("wikimedia: resuming after event id \(id) (\(configuration.stateFile?.path ?? ""))")
        }
    }

    /// Stops the run (from any thread): closes the connection; the run flushes and saves its state, then returns.
    public func stop() {
        stopSignal.stop()
        stream.cancel()
    }

    /// The id of the last event produced and acknowledged (what a restart sends as `Last-Event-ID`).
    public var lastEventID: String? { state.lastEventID }

    private var reachedMax: Bool { configuration.maxEvents.map { producedCount >= $0 } ?? false }

    // MARK: Live

    /// Streams until stopped or ``Configuration/maxEvents`` events were produced, reconnecting as needed.
    /// - Throws: Kafka errors (producing or flushing) and state-file errors; HTTP failures only reconnect.
    public func runLive() throws {
        var backoff = configuration.initialBackoff
        var lastID = state.lastEventID
        var lastCheckpoint = ContinuousClock.now
        var connection = 0
        while !stopSignal.isStopped, !reachedMax {
            connection += 1
            var url = configuration.url
            var headers: [(name: String, value: String)] = [("Accept", "text/event-stream")]
            if let lastID, !lastID.isEmpty {
                headers.append(("Last-Event-ID", lastID))
            } else if let since = configuration.since {
                url += (url.contains("?") ? "&" : "?") + "since=" + EventTime.formatISO8601(since)
            }
            let request = HTTPRequest(
                url: url, headers: headers, lowSpeedLimit: 1, lowSpeedTime: configuration.stallTimeout)
            logger.info("wikimedia: connecting to \(url)\(lastID.map { " with Last-Event-ID \($0)" } ?? "")")
            var parser = ServerSentEventsParser(lastEventID: lastID ?? "")
            var received = 0
            do {
                let end = try stream.run(sending: request) { data in
                    for event in parser.feed(data) {
                        received += 1
                        if event.type == "message" {
                            try handle(Array(event.data.utf8), source: url, position: nil, shift: 0, live: true)
                        } else {
                            metrics.countDropped("sse-event-\(event.type)")
                        }
                        lastID = event.lastEventID
                        if reachedMax { return false }
                    }
                    if ContinuousClock.now - lastCheckpoint >= configuration.checkpointInterval {
                        try checkpoint(lastID)
                        lastCheckpoint = .now
                    }
                    return !stopSignal.isStopped
                }
                if end == .completed {
                    metrics.countFailure("closed-by-server")
                    logger.warning("wikimedia: the server ended the stream")
                }
            } catch let error as HTTPError {
                metrics.countFailure(error.curlCode == 28 ? "stalled-or-timeout" : "http-error")
                logger.warning("wikimedia: connection \(connection) failed after \(received) events: \(error)")
            }
            try checkpoint(lastID)
            lastCheckpoint = .now
            if stopSignal.isStopped || reachedMax { break }
            if received > 0 { backoff = parser.reconnectionTime.map { .milliseconds($0) } ?? configuration.initialBackoff }
            metrics.countReconnect()
            logger.info("wikimedia: reconnecting in \(backoff)")
            stopSignal.sleep(backoff)
            backoff = min(backoff * 2, configuration.maxBackoff)
        }
        try checkpoint(lastID)
    }

    /// Flushes the producer, then saves `lastID` as the resume position.
    private func checkpoint(_ lastID: String?) throws {
        try output.flush()
        guard let lastID, lastID != state.lastEventID else { return }
        state.lastEventID = lastID
        state.lastEventTime = metrics.snapshot.lastEventTime.map(EventTime.formatISO8601)
        try configuration.stateFile?.save(state)
    }

    // MARK: Replay

    /// Replays a recording of one event JSON per line (`.jsonl`). With `rebaseTo`, every event time moves by one
    /// constant so that the first event's `meta.dt` becomes `rebaseTo`: the record timestamp and the `meta.dt`
    /// text in the value are shifted (nothing else in the JSON is changed).
    /// - Returns: the number of events produced.
    @discardableResult
    public func replay(file: String, rebaseTo: Int64?) throws -> Int {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: file])
        }
        let before = producedCount
        var pacer = ReplayPacer(speed: configuration.speed)
        var shift: Int64?
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            let bytes = buffer.assumingMemoryBound(to: UInt8.self)
            var start = 0
            var line = 0
            while start < bytes.count, !stopSignal.isStopped, !reachedMax {
                let rest = UnsafeBufferPointer(rebasing: bytes[start...])
                let end = rest.firstIndex(of: 0x0A).map { start + $0 } ?? bytes.count
                line += 1
                var lineEnd = end
                if lineEnd > start, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                let raw = Array(bytes[start..<lineEnd])
                start = end + 1
                if raw.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                if shift == nil {
                    if let rebaseTo {
                        if let head = try? decoder.decode(RecentChangeHead.self, from: Data(raw)),
                            let dt = head.meta?.dt, let time = EventTime.parseISO8601(dt)
                        {
                            shift = rebaseTo - time
                        }
                    } else {
                        shift = 0
                    }
                }
                try handle(raw, source: file, position: line, shift: shift ?? 0, live: false, pacer: &pacer)
            }
        }
        try output.flush()
        return producedCount - before
    }

    // MARK: Events

    private func handle(_ raw: [UInt8], source: String, position: Int?, shift: Int64, live: Bool) throws {
        var pacer = ReplayPacer(speed: nil)
        try handle(raw, source: source, position: position, shift: shift, live: live, pacer: &pacer)
    }

    /// Produces one event, or drops or dead-letters it with a reason.
    private func handle(
        _ raw: [UInt8], source: String, position: Int?, shift: Int64, live: Bool, pacer: inout ReplayPacer
    ) throws {
        metrics.countIn()
        let head: RecentChangeHead
        if let scanned = raw.withUnsafeBufferPointer(RecentChangeScanner.scan) {
            head = scanned
        } else {
            do {
                head = try decoder.decode(RecentChangeHead.self, from: Data(raw))
            } catch {
                return try deadLetter(raw, "malformed-json", "not a JSON object: \(error)", source, position)
            }
        }
        guard let meta = head.meta, let dt = meta.dt else {
            return try deadLetter(raw, "missing-field", "no meta.dt", source, position)
        }
        if meta.domain == "canary" {
            metrics.countDropped("canary")
            return
        }
        guard let wiki = head.wiki else {
            return try deadLetter(raw, "missing-field", "no wiki", source, position)
        }
        guard let time = EventTime.parseISO8601(dt) else {
            return try deadLetter(raw, "bad-date", "meta.dt is not an ISO-8601 time: \(dt)", source, position)
        }
        if let wikis = configuration.wikis, !wikis.contains(wiki) {
            metrics.countDropped("wiki-filter")
            return
        }
        if let since = configuration.since, time < since {
            metrics.countDropped("before-since")
            return
        }
        if live, let topic = meta.topic, let partition = meta.partition, let offset = meta.offset {
            let position = "\(topic)/\(partition)"
            if let newest = newestOffsets[position], offset <= newest {
                metrics.countDropped("duplicate")
                return
            }
            newestOffsets[position] = offset
        }
        let shifted = time + shift
        guard pacer.wait(until: shifted, stop: stopSignal) else { return }
        let value = shift == 0 ? raw : Self.replacingDT(in: raw, original: dt, with: EventTime.formatISO8601(shifted))
        try output.send(key: wiki, value: value, timestamp: shifted)
        producedCount += 1
        metrics.countProduced(eventTime: shifted)
    }

    private func deadLetter(_ raw: [UInt8], _ reason: String, _ message: String, _ source: String, _ position: Int?) throws {
        metrics.countDropped(reason)
        metrics.countDeadLettered()
        logger.warning(
            "wikimedia: \(source)\(position.map { " line \($0)" } ?? "") to \(output.deadLetterTopic) (\(reason)): \(message.prefix(200))"
        )
        try output.sendDeadLetter(raw: raw, reason: reason, error: message, source: source, position: position)
    }

    /// `raw` with the first `"<original>"` string after a `"dt"` key replaced by `"<replacement>"`.
    static func replacingDT(in raw: [UInt8], original: String, with replacement: String) -> [UInt8] {
        let key = Array("\"dt\"".utf8)
        let old = Array("\"\(original)\"".utf8)
        guard let keyAt = firstIndex(of: key, in: raw, from: 0),
            let valueAt = firstIndex(of: old, in: raw, from: keyAt + key.count)
        else { return raw }
        return Array(raw[..<valueAt]) + Array("\"\(replacement)\"".utf8) + Array(raw[(valueAt + old.count)...])
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var i = from
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0], haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

/// The few fields of a `recentchange` event the connector reads; everything else passes through untouched.
struct RecentChangeHead: Decodable, Equatable {
    struct Meta: Decodable, Equatable {
        var dt: String?
        var domain: String?
        var topic: String?
        var partition: Int?
        var offset: Int64?
    }

    var wiki: String?
    var type: String?
    var meta: Meta?
}
