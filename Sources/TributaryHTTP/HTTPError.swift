/// A failed HTTP transfer: the curl result code and, when a response arrived, its status.
public struct HTTPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// libcurl's `CURLcode` (0 when the transfer itself succeeded but the status was an error).
    public var curlCode: Int32
    /// The HTTP status, if a response status line arrived.
    public var status: Int?
    /// What went wrong, in words.
    public var message: String

    /// Creates an error.
    public init(curlCode: Int32, status: Int?, message: String) {
        self.curlCode = curlCode
        self.status = status
        self.message = message
    }

    public var description: String {
        "HTTP error (curl \(curlCode)\(status.map { ", status \($0)" } ?? "")): \(message)"
    }
}
