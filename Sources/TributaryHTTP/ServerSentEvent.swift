/// One event dispatched by ``ServerSentEventsParser``, as the WHATWG "server-sent events" spec defines it.
public struct ServerSentEvent: Equatable, Hashable, Sendable {
    /// The event type: the last `event` field of the block, or `"message"` when there was none (or it was empty).
    public var type: String
    /// The `data` fields of the block joined with `"\n"`, without a trailing newline. Never empty for a
    /// dispatched event (blocks without data are not dispatched).
    public var data: String
    /// The last event ID in force when the event was dispatched: the most recent `id` field of this or an
    /// earlier block of the stream (`""` if none was ever sent, or an `id` field reset it).
    public var lastEventID: String
    /// The reconnection time in milliseconds from a `retry` field in this event's own block, or `nil` when the
    /// block had none. The parser's ``ServerSentEventsParser/reconnectionTime`` keeps the latest value.
    public var retry: Int?

    /// Creates an event.
    public init(type: String = "message", data: String, lastEventID: String = "", retry: Int? = nil) {
        self.type = type
        self.data = data
        self.lastEventID = lastEventID
        self.retry = retry
    }
}
