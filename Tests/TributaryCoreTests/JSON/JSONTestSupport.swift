import Foundation

@testable import TributaryCore

/// Helpers shared by the byte-level JSON coder tests: Foundation as the reference implementation.
enum JSONReference {
    /// The repository root, found from this file's path.
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Every non-empty line of the bundled Wikimedia recordings whose file name contains `filter`.
    static func recordingLines(matching filter: String = "") throws -> [[UInt8]] {
        let directory = repositoryRoot.appendingPathComponent("data/wikimedia")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".jsonl") && (filter.isEmpty || $0.contains(filter)) }.sorted()
        var lines: [[UInt8]] = []
        for file in files {
            let data = try Data(contentsOf: directory.appendingPathComponent(file))
            lines += data.split(separator: UInt8(ascii: "\n")).filter { !$0.isEmpty }.map { Array($0) }
        }
        return lines
    }

    static func foundationDecode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) -> Result<T, any Error> {
        Result { try JSONDecoder().decode(T.self, from: Data(bytes)) }
    }

    static func bytesDecode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) -> Result<T, any Error> {
        Result { try JSONByteDecoder().decode(T.self, from: bytes) }
    }

    static func foundationEncode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    /// A decoding error's case and coding path, e.g. `typeMismatch Int at meta.dt`, for comparing implementations.
    static func summary(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "not a DecodingError: \(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context): return "typeMismatch \(type) at \(path(context))"
        case .valueNotFound(let type, let context): return "valueNotFound \(type) at \(path(context))"
        case .keyNotFound(let key, let context): return "keyNotFound \(key.stringValue) at \(path(context))"
        // Foundation reports numbers that do not fit with an empty path; the byte decoder gives the value's path
        // (checked separately), so only the case is compared.
        case .dataCorrupted: return "dataCorrupted"
        @unknown default: return "\(error)"
        }
    }
}

/// A small seeded generator (SplitMix64) so property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The shape of WikiEdits' `RecentChange` (the test target cannot import the topology).
struct TestRecentChange: Codable, Equatable {
    struct Meta: Codable, Equatable {
        var dt: String
        var domain: String?
        var id: String?
    }

    struct OldNew: Codable, Equatable {
        var old: Int64?
        var new: Int64?
    }

    var meta: Meta
    var type: String
    var namespace: Int
    var title: String
    var user: String
    var bot: Bool
    var wiki: String
    var minor: Bool?
    var length: OldNew?
    var revision: OldNew?
    var comment: String?
    var serverURL: String?

    enum CodingKeys: String, CodingKey {
        case meta, type, namespace, title, user, bot, wiki, minor, length, revision, comment
        case serverURL = "server_url"
    }
}

/// Every field of a recent-change event, to exercise more of each line than `TestRecentChange` reads.
struct TestFullRecentChange: Codable, Equatable {
    var id: Int64?
    var meta: [String: TestScalar]
    var type: String
    var namespace: Int
    var title: String
    var comment: String?
    var parsedcomment: String?
    var timestamp: UInt64
    var user: String
    var bot: Bool
    var minor: Bool?
    var patrolled: Bool?
    var length: [String: Int?]?
    var revision: [String: Int64]?
    var log_params: TestScalar?
    var server_url: String
    var wiki: String
}

/// Any JSON value.
indirect enum TestScalar: Codable, Equatable {
    case null, bool(Bool), int(Int64), double(Double), string(String), array([TestScalar]), object([String: TestScalar])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([TestScalar].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: TestScalar].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
