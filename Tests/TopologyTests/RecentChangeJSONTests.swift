import Foundation
import Testing
@testable import TributaryCore
@testable import WikiEditsTopology

/// `RecentChange(json:)` and `RecentChangeEvent(json:)` (WikiEdits' hot path) against the `Codable` conformance
/// they replace: the same value for every recorded event (and kept exactly when WikiEdits' rule keeps it), and the
/// same error (case, type and coding path; and the same serde message) for every kind of bad event.
@Suite struct RecentChangeJSONTests {
    /// How one decode ended: the value, or the error's case, type and coding path.
    enum Outcome: Equatable, CustomStringConvertible {
        case value(RecentChange)
        case error(String)

        var description: String {
            switch self {
            case .value(let change): "value \(change)"
            case .error(let summary): "error \(summary)"
            }
        }
    }

    static func summary(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "not a DecodingError: \(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context): return "typeMismatch \(type) at \(path(context))"
        case .valueNotFound(let type, let context):
            return "valueNotFound \(type) at \(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context): return "keyNotFound \(key.stringValue) at \(path(context))"
        case .dataCorrupted(let context): return "dataCorrupted at \(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    static func codable(_ bytes: [UInt8]) -> Outcome {
        do {
            return .value(try JSONByteDecoder().decode(RecentChange.self, from: bytes))
        } catch {
            return .error(summary(error))
        }
    }

    static func handWritten(_ bytes: [UInt8]) -> Outcome {
        do {
            return .value(try RecentChange(json: try JSONValue.parse(bytes)))
        } catch {
            return .error(summary(error))
        }
    }

    /// How `RecentChangeEvent(json:)` ends on `bytes`, as text.
    static func event(_ bytes: [UInt8]) -> String {
        do {
            let event = try RecentChangeEvent(json: try JSONValue.parse(bytes))
            return "value \(event.eventTime.map(String.init) ?? "no time") \(event.humanArticleEdit.map { "kept \($0)" } ?? "dropped")"
        } catch {
            return "error \(summary(error))"
        }
    }

    /// What `RecentChangeEvent(json:)` must give where `RecentChange` decodes as `outcome`: the same error, or the
    /// event time and the event if WikiEdits keeps it.
    static func expectedEvent(_ outcome: Outcome) -> String {
        switch outcome {
        case .value(let change):
            let kept = WikiEditsTopology.isHumanArticleEdit(change)
            let time = ISO8601Timestamp.parse(change.meta.dt)
            return "value \(time.map(String.init) ?? "no time") \(kept ? "kept \(change)" : "dropped")"
        case .error(let summary): return "error \(summary)"
        }
    }

    /// The serde message (or value) each path gives, as the dead-letter headers would show it.
    static func serdeOutcome(_ serde: Serde<RecentChange>, _ bytes: [UInt8]) -> String {
        do {
            return "value \(try serde.deserializeOptional(bytes))"
        } catch {
            return "error \(error)"
        }
    }

    static let codableSerde = Serde<RecentChange>.json(RecentChange.self, maxBytes: WikiEditsTopology.maxEventBytes)
    static let handWrittenSerde = Serde<RecentChange>.json(
        maxBytes: WikiEditsTopology.maxEventBytes, decoding: RecentChange.init(json:))

    func expectAgreement(_ bytes: [UInt8], expectValue: Bool? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = String(decoding: bytes, as: UTF8.self)
        let expected = Self.codable(bytes)
        let actual = Self.handWritten(bytes)
        #expect(actual == expected, "\(text)", sourceLocation: sourceLocation)
        #expect(Self.event(bytes) == Self.expectedEvent(expected), "\(text)", sourceLocation: sourceLocation)
        if let expectValue {
            if case .value = expected {
                #expect(expectValue, "decoded: \(text)", sourceLocation: sourceLocation)
            } else {
                #expect(!expectValue, "failed (\(expected)): \(text)", sourceLocation: sourceLocation)
            }
        }
        #expect(
            Self.serdeOutcome(Self.handWrittenSerde, bytes) == Self.serdeOutcome(Self.codableSerde, bytes), "\(text)",
            sourceLocation: sourceLocation)
    }

    @Test func everyFixtureLineDecodesToTheSameValue() throws {
        let directory = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let enumerator = try #require(FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil))
        var lines = 0
        for case let url as URL in enumerator where url.pathExtension == "jsonl" {
            let data = try Data(contentsOf: url)
            for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
                expectAgreement(Array(line), expectValue: true)
                lines += 1
            }
        }
        #expect(lines > 1_839)
    }

    /// A valid event, as (key, raw JSON) pairs so fields can be replaced or dropped textually.
    static let meta: [(String, String)] = [
        ("domain", #""www.wikidata.org""#), ("dt", #""2018-03-07T16:59:45+00:00""#), ("id", #""e1""#),
        ("offset", "759171891"),
    ]
    static let length: [(String, String)] = [("old", "10"), ("new", "4")]
    static let revision: [(String, String)] = [("new", "645124063"), ("old", "645124060")]
    static let event: [(String, String)] = [
        ("id", "680547137"), ("meta", render(meta)), ("type", #""edit""#), ("namespace", "0"), ("title", #""Q1""#),
        ("user", #""2001:db8::1""#), ("bot", "false"), ("wiki", #""wikidatawiki""#), ("minor", "true"),
        ("length", render(length)), ("revision", render(revision)), ("comment", #""fix \"typo\" \u00e9""#),
        ("server_url", #""https://www.wikidata.org""#), ("extra", #"[1, {"a": null}, "x"]"#),
    ]

    static func render(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }

    /// The fields with `key`'s value replaced (`nil`: removed).
    static func replacing(_ fields: [(String, String)], _ key: String, with value: String?) -> [(String, String)] {
        fields.compactMap { field in field.0 == key ? value.map { (key, $0) } : field }
    }

    /// Replacement values covering every JSON type and the number edge cases.
    static let replacements: [String?] = [
        nil, "null", #""x""#, #""""#, "0", "-1", "1.0", "1.5", "1e2", "-0", "2147483648", "9223372036854775807",
        "9223372036854775808", "-9223372036854775809", "1e400", "true", "false", "[]", "[1]", "{}",
        #"{"old": 1, "new": 2}"#, #"{"dt": "d"}"#, #""canary""#, #""new""#, #""log""#,
    ]

    /// Every event with one field (top-level, or inside meta, length or revision) replaced or removed.
    static var variants: [[UInt8]] {
        var documents: [String] = []
        for replacement in replacements {
            for (key, _) in event {
                documents.append(render(replacing(event, key, with: replacement)))
            }
            for (nested, fields) in [("meta", meta), ("length", length), ("revision", revision)] {
                for (key, _) in fields {
                    documents.append(render(replacing(event, nested, with: render(replacing(fields, key, with: replacement)))))
                }
            }
        }
        return documents.map { Array($0.utf8) }
    }

    @Test func theBaseEventDecodes() {
        expectAgreement(Array(Self.render(Self.event).utf8), expectValue: true)
    }

    @Test func everySingleFieldVariantAgrees() {
        let variants = Self.variants
        #expect(variants.count > 300)
        var failures = 0
        for variant in variants {
            expectAgreement(variant)
            if case .error = Self.codable(variant) { failures += 1 }
        }
        #expect(failures > 150, "the table exercises errors")
    }

    /// Every suffix of the fields made wrong at once (all of a type no field has, or all removed; nested objects
    /// stay, with every field inside wrong or removed): the first error in the `Codable` conformance's order wins.
    @Test(arguments: [false, true])
    func theFirstErrorInFieldOrderIsReported(removing: Bool) {
        for start in Self.event.indices {
            var fields = Array(Self.event[..<start])
            for (key, _) in Self.event[start...] {
                if let nested = Self.nested[key] {
                    fields.append((key, Self.render(removing ? [] : nested.map { ($0.0, "[0]") })))
                } else if !removing {
                    fields.append((key, "[0]"))
                }
            }
            expectAgreement(Array(Self.render(fields).utf8))
        }
    }

    static let nested = ["meta": meta, "length": length, "revision": revision]

    @Test(arguments: [
        // Required fields missing or null.
        #"{}"#,
        #"{"meta": null, "type": "edit"}"#,
        #"{"meta": {}, "type": "edit"}"#,
        #"{"meta": {"dt": null}}"#,
        #"{"meta": {"dt": "d"}, "type": null}"#,
        #"{"meta": {"dt": "d"}, "type": "edit", "namespace": 0, "title": "T", "user": "U", "bot": false}"#,
        #"{"meta": {"dt": "d"}, "type": "edit", "namespace": 0, "title": "T", "user": "U", "bot": null, "wiki": "w"}"#,
        // Only the required fields; optional ones null.
        #"{"meta": {"dt": "d"}, "type": "edit", "namespace": 0, "title": "T", "user": "U", "bot": false, "wiki": "w"}"#,
        #"{"meta": {"dt": "d", "domain": null, "id": null}, "type": "edit", "namespace": 0, "title": "T", "user": "U", "bot": false, "wiki": "w", "minor": null, "length": null, "revision": null, "comment": null, "server_url": null}"#,
        #"{"meta": {"dt": "d"}, "type": "edit", "namespace": 0, "title": "T", "user": "U", "bot": false, "wiki": "w", "length": {}, "revision": {"old": null, "new": null}}"#,
        // The first error in field order wins.
        #"{"meta": {"dt": 1}, "type": 2, "namespace": "x"}"#,
        #"{"type": 2, "meta": {"dt": "d"}}"#,
        #"{"meta": {"dt": "d", "id": 5, "domain": 6}, "type": 2}"#,
        // Duplicate keys: the first occurrence wins.
        #"{"meta": {"dt": "d"}, "type": "edit", "type": 5, "namespace": 0, "title": "T", "user": "U", "bot": false, "wiki": "w"}"#,
        #"{"meta": {"dt": "d"}, "type": 5, "type": "edit", "namespace": 0, "title": "T", "user": "U", "bot": false, "wiki": "w"}"#,
        // Escaped keys and strings.
        #"{"m\u0065ta": {"dt": "\u00e9\ud83d\ude00"}, "type": "edit", "namespace": 0, "title": "T", "us\u0065r": "U", "bot": false, "wiki": "w"}"#,
        // An event time with escapes, and one that is not a time.
        #"{"meta": {"dt": "2018-03-07T16:59:45\u002b00:00"}, "type": "edit", "namespace": 0, "title": "T", "user": "U", "bot": false, "wiki": "w"}"#,
        #"{"meta": {"dt": "yesterday"}, "type": "edit", "namespace": 0, "title": "T", "user": "U", "bot": false, "wiki": "w"}"#,
        // Not an object, or not JSON.
        #"[]"#, #"null"#, #"1"#, #""edit""#, #"{"meta": "#, #"{"a": 1,}"#, " ",
    ])
    func handPickedDocumentsAgree(_ document: String) {
        expectAgreement(Array(document.utf8))
    }

    @Test func serdeMessagesStayTheSame() throws {
        let base = Self.render(Self.event)
        let cases: [(String, String)] = [
            (base.replacingOccurrences(of: #""namespace": 0"#, with: #""namespace": "zero""#),
             "malformed: type mismatch at 'namespace': expected Int"),
            (base.replacingOccurrences(of: #""dt": "2018-03-07T16:59:45+00:00", "#, with: ""),
             "malformed: missing key 'meta.dt'"),
            (base.replacingOccurrences(of: #""old": 10"#, with: #""old": "ten""#),
             "malformed: type mismatch at 'length.old': expected Int64"),
            (base.replacingOccurrences(of: #""wiki": "wikidatawiki""#, with: #""wiki": null"#),
             "malformed: missing value at 'wiki': expected String"),
        ]
        for (document, message) in cases {
            #expect(Self.serdeOutcome(Self.handWrittenSerde, Array(document.utf8)) == "error \(message)")
            #expect(Self.serdeOutcome(Self.codableSerde, Array(document.utf8)) == "error \(message)")
        }
        #expect(throws: SerdeError.malformed("empty value")) { try Self.handWrittenSerde.deserializeOptional([]) }
        #expect(throws: SerdeError.unexpectedNull) { try Self.handWrittenSerde.deserializeOptional(nil) }
        let oversized = [UInt8](repeating: UInt8(ascii: " "), count: WikiEditsTopology.maxEventBytes + 1)
        #expect(throws: SerdeError.tooLarge(size: oversized.count, limit: WikiEditsTopology.maxEventBytes)) {
            try Self.handWrittenSerde.deserializeOptional(oversized)
        }
    }

    @Test func serializationIsUnchanged() throws {
        let change = try RecentChange(json: try JSONValue.parse(Array(Self.render(Self.event).utf8)))
        #expect(try Self.handWrittenSerde.serializeOptional(change) == (try Self.codableSerde.serializeOptional(change)))
    }
}
