import TributaryCore
import TributaryTesting

/// `key@start-end=value` for a windowed table update (`nil` for a tombstone), for readable assertions.
func describe<Value>(_ record: TestRecord<Windowed<String>, Value?>) -> String {
    "\(record.key.key)@\(record.key.window.start)-\(record.key.window.end)=\(record.value.map { "\($0)" } ?? "nil")"
}

/// `key@start=value` for a window store entry.
func describe<Value>(_ entry: (key: String, windowStart: Int64, value: Value)) -> String {
    "\(entry.key)@\(entry.windowStart)=\(entry.value)"
}

/// Milliseconds as a `Duration`.
func ms(_ value: Int64) -> Duration { .milliseconds(value) }
