/// An incremental parser for a `text/event-stream` body, following the WHATWG HTML spec, section
/// "Server-sent events", subsection "Parsing an event stream" and "Interpreting an event stream".
///
/// It does no I/O: ``feed(_:)`` it the body bytes as they arrive, in chunks split anywhere (inside a line
/// ending, inside a multi-byte UTF-8 sequence, inside the byte order mark), and it returns the events each
/// chunk completes. Call ``finish(dispatchIncomplete:)`` at the end of the stream.
///
/// Rules implemented:
/// - Lines end with CRLF, LF or CR. A CR at the end of one chunk and an LF at the start of the next are one
///   line ending.
/// - A UTF-8 byte order mark at the very start of the stream is skipped once; elsewhere it is ordinary text.
/// - Each line is decoded as UTF-8 only once it is complete; invalid sequences become U+FFFD.
/// - A line starting with `:` is a comment and is ignored. Otherwise the field name runs to the first `:`
///   (the whole line if there is none, with an empty value) and one space after the colon is dropped.
/// - `event` sets the type, `data` appends a line to the data, `id` sets the last event ID unless the value
///   contains NUL, `retry` sets the reconnection time if the value is ASCII digits only; other fields are
///   ignored. Field names are case-sensitive.
/// - A blank line dispatches the block: the ID is committed even if the block has no data, but a block with
///   no data is not dispatched.
///
/// One deliberate choice beyond the spec: the last event ID survives ``finish(dispatchIncomplete:)`` so a
/// parser reused for a reconnected stream keeps reporting it (the spec starts each stream with an empty
/// buffer); seed it with ``init(lastEventID:)`` when resuming in a new process.
public struct ServerSentEventsParser: Sendable {
    /// The UTF-8 byte order mark.
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The last event ID committed by a blank line (or given to ``init(lastEventID:)``). What a client sends as
    /// `Last-Event-ID` when it reconnects.
    public private(set) var lastEventID: String
    /// The latest reconnection time in milliseconds set by a valid `retry` field, or `nil` if none arrived.
    /// Committed as soon as the field is read, like the spec's "reconnection time".
    public private(set) var reconnectionTime: Int?

    /// Bytes of the current line, without its line ending. Invariant: never contains CR or LF.
    private var line: [UInt8] = []
    /// The `data` lines of the current block, each followed by LF. Invariant: empty or ends with LF.
    private var data: [UInt8] = []
    /// The `event` field of the current block (`""` = none).
    private var eventType: String = ""
    /// The spec's "last event ID buffer": the latest `id` field, committed to ``lastEventID`` by a blank line.
    private var lastEventIDBuffer: String
    /// A `retry` value read in the current block, reported on the event the block dispatches.
    private var blockRetry: Int?
    /// True when the previous byte was a CR, so an LF that follows completes the same line ending.
    private var afterCR = false
    /// How many leading bytes of the stream matched the byte order mark so far; `nil` once the start of the
    /// stream has been decided (BOM skipped or not present). Matched bytes are held back, not in `line`.
    private var bomMatched: Int? = 0

    /// Creates a parser for the start of a stream.
    /// - Parameter lastEventID: the last event ID to start from, e.g. the one a reconnecting client sent as
    ///   `Last-Event-ID`; events keep reporting it until the stream sends an `id` field.
    public init(lastEventID: String = "") {
        self.lastEventID = lastEventID
        self.lastEventIDBuffer = lastEventID
    }

    /// Parses the next chunk of the stream and returns the events it completed, in order.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if let matched = bomMatched {
                if byte == Self.byteOrderMark[matched] {
                    bomMatched = matched + 1 == Self.byteOrderMark.count ? nil : matched + 1
                    continue
                }
                // Not a BOM: the held-back bytes are ordinary text at the start of the first line.
                line.append(contentsOf: Self.byteOrderMark[0..<matched])
                bomMatched = nil
            }
            switch byte {
            case 0x0A:  // LF
                if afterCR {
                    afterCR = false  // the second half of a CRLF
                } else {
                    endLine(into: &events)
                }
            case 0x0D:  // CR
                afterCR = true
                endLine(into: &events)
            default:
                afterCR = false
                line.append(byte)
            }
        }
        return events
    }

    /// Ends the stream and makes the parser ready for the next one (a reconnection).
    ///
    /// The spec discards an event not terminated by a blank line at the end of the stream (with the
    /// unterminated last line). That is right for a live connection that dropped mid-event, and is the default.
    /// A recorded capture cut after the last event's final line (such as the Wikimedia capture in
    /// `shared/data`, which has no final newline) loses its last event that way; pass
    /// `dispatchIncomplete: true` to process the unterminated line and dispatch the pending block as if a
    /// blank line followed.
    ///
    /// ``lastEventID`` and ``reconnectionTime`` are kept; everything else is reset.
    /// - Returns: the incomplete event when `dispatchIncomplete` is true and it has data, otherwise nothing.
    public mutating func finish(dispatchIncomplete: Bool = false) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        if let matched = bomMatched {
            line.append(contentsOf: Self.byteOrderMark[0..<matched])
        }
        if dispatchIncomplete {
            if !line.isEmpty { processLine(line) }
            dispatch(into: &events)
        }
        line.removeAll(keepingCapacity: true)
        data.removeAll(keepingCapacity: true)
        eventType = ""
        lastEventIDBuffer = lastEventID
        blockRetry = nil
        afterCR = false
        bomMatched = 0
        return events
    }

    /// Handles a complete line and starts the next one.
    private mutating func endLine(into events: inout [ServerSentEvent]) {
        if line.isEmpty {
            dispatch(into: &events)
        } else {
            processLine(line)
            line.removeAll(keepingCapacity: true)
        }
    }

    /// Interprets one non-empty line: a comment or a field.
    private mutating func processLine(_ line: [UInt8]) {
        if line.first == UInt8(ascii: ":") { return }
        let name: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            name = line[..<colon]
            value = line[(colon + 1)...]
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        } else {
            name = line[...]
            value = []
        }
        switch String(decoding: name, as: UTF8.self) {
        case "event":
            eventType = String(decoding: value, as: UTF8.self)
        case "data":
            data.append(contentsOf: value)
            data.append(0x0A)
        case "id":
            if !value.contains(0) { lastEventIDBuffer = String(decoding: value, as: UTF8.self) }
        case "retry":
            // Digits only; a value too large for Int is ignored like any other invalid value.
            if !value.isEmpty, value.allSatisfy({ (0x30...0x39).contains($0) }),
                let milliseconds = Int(String(decoding: value, as: UTF8.self))
            {
                reconnectionTime = milliseconds
                blockRetry = milliseconds
            }
        default:
            break
        }
    }

    /// The spec's "dispatch the event" at a blank line: commits the ID, emits the block if it has data, and
    /// clears the block.
    private mutating func dispatch(into events: inout [ServerSentEvent]) {
        lastEventID = lastEventIDBuffer
        defer {
            data.removeAll(keepingCapacity: true)
            eventType = ""
            blockRetry = nil
        }
        guard !data.isEmpty else { return }
        events.append(
            ServerSentEvent(
                type: eventType.isEmpty ? "message" : eventType,
                data: String(decoding: data.dropLast(), as: UTF8.self),
                lastEventID: lastEventID,
                retry: blockRetry))
    }
}
