import Synchronization
import TributaryTesting
import TributaryCore

/// Collects values from `@Sendable` DSL closures (`peek`, `foreach`) for assertions.
final class Box<Element: Sendable>: Sendable {
    private let storage = Mutex<[Element]>([])

    func append(_ element: Element) { storage.withLock { $0.append(element) } }

    var values: [Element] { storage.withLock { $0 } }
}

/// A header value as text, for assertions; `nil` when the header is missing.
func headerText(_ headers: [Header], _ name: String) -> String? {
    headers.last(named: name)?.stringValue
}

/// UTF-8 bytes of a string.
func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A thrown error with a fixed description, for processing-error tests.
struct Boom: Error, CustomStringConvertible {
    var reason: String
    var description: String { "boom: \(reason)" }
}

/// A plain copy of a `TestRecord` (whose initializer is internal), so expected records can be written out.
struct Rec<Key: Equatable, Value: Equatable>: Equatable {
    var key: Key
    var value: Value
    var timestamp: Int64
    var headers: [Header] = []
    var partition: Int32 = 0

    init(key: Key, value: Value, timestamp: Int64, headers: [Header] = [], partition: Int32 = 0) {
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.headers = headers
        self.partition = partition
    }

    init(_ record: TestRecord<Key, Value>) {
        self.init(
            key: record.key, value: record.value, timestamp: record.timestamp, headers: record.headers,
            partition: record.partition)
    }
}

extension TestOutputTopic where Key: Equatable, Value: Equatable {
    /// Every unread record as a ``Rec``.
    func readRecs() throws -> [Rec<Key, Value>] {
        var result: [Rec<Key, Value>] = []
        for record in try readRecords() { result.append(Rec(record)) }
        return result
    }
}

/// `topic/partition@offset` of record metadata (whose initializer is internal), for assertions.
func position(_ metadata: RecordMetadata?) -> String? {
    metadata.map { "\($0.topic)/\($0.partition)@\($0.offset)" }
}
