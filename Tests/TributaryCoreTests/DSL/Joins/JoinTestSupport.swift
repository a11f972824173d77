import TributaryCore
import TributaryTesting

/// `value@timestamp` of an output record, for readable assertions of join results.
func describeJoin<Key>(_ record: TestRecord<Key, String>) -> String { "\(record.value)@\(record.timestamp)" }

/// `key=value@timestamp` of a table change (`nil` for a delete).
func describeChange(_ record: TestRecord<String, String?>) -> String {
    "\(record.key)=\(record.value ?? "nil")@\(record.timestamp)"
}

/// The kinds of stream-stream join, for one topology builder.
enum StreamJoinKind {
    case inner
    case left
    case outer
}

/// `left` joined with `right` (both String -> String) as `kind` under `windows`, written to `out` as
/// `"<left>+<right>"` with `null` for a missing side. The join is named `lr`.
func streamJoinTopology(_ kind: StreamJoinKind, windows: JoinWindows) throws -> Topology {
    let builder = StreamsBuilder()
    let left = builder.stream("left", key: .string, value: .string)
    let right = builder.stream("right", key: .string, value: .string)
    let joined: KStream<String, String>
    switch kind {
    case .inner:
        joined = left.join(right, windows: windows, named: "lr", key: .string, value: .string, otherValue: .string) {
            "\($0)+\($1)"
        }
    case .left:
        joined = left.leftJoin(right, windows: windows, named: "lr", key: .string, value: .string, otherValue: .string) {
            "\($0)+\($1 ?? "null")"
        }
    case .outer:
        joined = left.outerJoin(right, windows: windows, named: "lr", key: .string, value: .string, otherValue: .string) {
            "\($0 ?? "null")+\($1 ?? "null")"
        }
    }
    joined.to("out", key: .string, value: .string)
    return try builder.build()
}
