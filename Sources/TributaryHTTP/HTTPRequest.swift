/// What to fetch and how patiently: the URL, extra header fields and the transfer limits.
///
/// Defaults suit a long-lived stream: connect within 10 s, fail when fewer than 1 byte/s arrives for 60 s
/// (stall detection, libcurl's low-speed limit), no total time limit, up to 5 redirects followed.
///
/// Fixed behaviour, not configurable: TLS peer and host verification are always on; only `http`, `https`
/// and `file` URLs are accepted and redirects may only lead to `http` or `https`. Proxies come from the
/// environment as libcurl does by default: `http_proxy`, `https_proxy` (or `HTTPS_PROXY`), `all_proxy` and
/// `no_proxy` (libcurl ignores upper-case `HTTP_PROXY` for safety in CGI contexts).
public struct HTTPRequest: Sendable {
    /// The User-Agent sent unless ``userAgent`` is changed. Wikimedia requires a User-Agent naming the tool.
    public static let defaultUserAgent = "Tributary/0.1 (+https://github.com/tributary; stream processing)"

    /// The URL (`http`, `https` or `file`).
    public var url: String
    /// Extra request header fields, sent in order (e.g. `("Last-Event-ID", id)`, `("Accept", "text/event-stream")`).
    /// Names may not contain `:`, spaces or line breaks and values may not contain line breaks. An empty
    /// value sends the header with no value.
    public var headers: [(name: String, value: String)]
    /// How long connecting (DNS, TCP, TLS) may take.
    public var connectTimeout: Duration
    /// Stall detection: the transfer fails (curl code 28) when its speed stays below this many bytes per
    /// second for ``lowSpeedTime``. 0 disables stall detection.
    public var lowSpeedLimit: Int
    /// How long the speed may stay below ``lowSpeedLimit``; libcurl counts whole seconds, so this is rounded
    /// up to at least 1 s.
    public var lowSpeedTime: Duration
    /// A limit on the whole transfer, or `nil` for none (the default, right for endless streams).
    public var totalTimeout: Duration?
    /// Whether 3xx responses with a `Location` are followed.
    public var followRedirects: Bool
    /// The most redirects followed before failing with curl code 47.
    public var maxRedirects: Int
    /// The `User-Agent` header.
    public var userAgent: String

    /// Creates a request with the defaults described on the type.
    public init(
        url: String,
        headers: [(name: String, value: String)] = [],
        connectTimeout: Duration = .seconds(10),
        lowSpeedLimit: Int = 1,
        lowSpeedTime: Duration = .seconds(60),
        totalTimeout: Duration? = nil,
        followRedirects: Bool = true,
        maxRedirects: Int = 5,
        userAgent: String = HTTPRequest.defaultUserAgent
    ) {
        self.url = url
        self.headers = headers
        self.connectTimeout = connectTimeout
        self.lowSpeedLimit = lowSpeedLimit
        self.lowSpeedTime = lowSpeedTime
        self.totalTimeout = totalTimeout
        self.followRedirects = followRedirects
        self.maxRedirects = maxRedirects
        self.userAgent = userAgent
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded up; 0 for negative durations, `Int.max` if too long.
    var roundedUpMilliseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let partial = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000  // 0...1000
        let (millis, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        let (total, overflow2) = millis.addingReportingOverflow(partial)
        return overflow || overflow2 ? Int.max : Int(clamping: total)
    }
}
