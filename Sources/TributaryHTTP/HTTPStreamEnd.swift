/// How a streaming transfer that did not fail ended.
public enum HTTPStreamEnd: Equatable, Sendable {
    /// The server ended the body normally (for an endless stream: the server closed it cleanly; reconnect).
    case completed
    /// `onData` returned false.
    case stoppedByConsumer
    /// ``HTTPStream/cancel()`` was called, before or during the transfer.
    case cancelled
}
