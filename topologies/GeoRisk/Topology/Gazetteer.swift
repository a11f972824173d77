#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The country gazetteer: FIPS 10-4 country codes (GDELT's `*Geo_CountryCode`) with names and the terms
/// (names, aliases, demonyms) that make a Wikipedia title count for a country.
///
/// **Matching.** A title counts for every country one of whose terms appears in it as a whole word sequence,
/// case-insensitively: titles and terms are lower-cased and cut into tokens (maximal runs of letters and digits;
/// everything else, including `-`, `'` and `.`, separates tokens), and a term matches where its tokens appear
/// consecutively in the title's. So "Oman" matches "Oman–India relations" but not "Romania" or "Woman", and
/// "Ukrainian" matches "Ukrainian Ground Forces" because it is a term of its own, not because it starts with
/// "Ukraine". Where terms overlap, the longest one starting at the leftmost position wins and hides the shorter
/// ones inside it: "Papua New Guinea" counts for Papua New Guinea only (not Guinea), "South Sudan" for South Sudan
/// only, and *blockers*, phrases that name no country, hide country terms: "New Jersey" counts for nothing.
///
/// Matching costs one dictionary lookup per title token plus a comparison per candidate term starting with that
/// token (terms are indexed by their first token, longest first).
///
/// **File format** (`data/georisk/gazetteer.tsv`, UTF-8, TAB-separated): `#` comment lines, a header line
/// `code	name	terms`, then one line per code with `|`-separated terms (possibly none); code `-` marks a
/// blocker line whose terms are blocker phrases.
public struct Gazetteer: Sendable {
    /// One country (or territory) of the gazetteer.
    public struct Country: Sendable, Equatable {
        /// FIPS 10-4 code as GDELT uses it (`GM` Germany, `UP` Ukraine).
        public var code: String
        /// Display name.
        public var name: String
        /// The names, aliases and demonyms that title matching looks for; may be empty (`OS` Oceans).
        public var terms: [String]

        /// Creates a country entry.
        public init(code: String, name: String, terms: [String]) {
            self.code = code
            self.name = name
            self.terms = terms
        }
    }

    /// A term cut into tokens, with the country it stands for (`nil` for a blocker).
    struct Phrase: Sendable {
        var tokens: [String]
        var code: String?
    }

    /// The countries, sorted by code.
    public let countries: [Country]
    /// Phrases that name no country (see the type's documentation).
    public let blockers: [String]
    private let names: [String: String]
    /// Phrases by their first token, longest first.
    private let index: [String: [Phrase]]

    /// A gazetteer of `countries` and `blockers`.
    ///
    /// - Throws: ``GazetteerError`` for a duplicate code, a term without letters or digits, or a term that two
    ///   codes (or a code and a blocker) share.
    public init(countries: [Country], blockers: [String] = []) throws(GazetteerError) {
        var names: [String: String] = [:]
        var owners: [[String]: String] = [:]
        var index: [String: [Phrase]] = [:]
        func add(_ term: String, code: String?) throws(GazetteerError) {
            let tokens = Self.tokens(term)
            guard let first = tokens.first else { throw .emptyTerm(code: code ?? "-", term: term) }
            let owner = code ?? "-"
            if let existing = owners[tokens] {
                if existing == owner { return }  // the same country listing a term twice (e.g. "U.S." and "U S")
                throw .sharedTerm(term: term, codes: [existing, owner])
            }
            owners[tokens] = owner
            index[first, default: []].append(Phrase(tokens: tokens, code: code))
        }
        for country in countries {
            guard names.updateValue(country.name, forKey: country.code) == nil else { throw .duplicateCode(country.code) }
            for term in country.terms { try add(term, code: country.code) }
        }
        for blocker in blockers { try add(blocker, code: nil) }
        for key in index.keys { index[key]!.sort { $0.tokens.count > $1.tokens.count } }
        self.countries = countries.sorted { $0.code < $1.code }
        self.blockers = blockers
        self.names = names
        self.index = index
    }

    /// Parses the TSV format described on the type.
    ///
    /// - Throws: ``GazetteerError`` for a missing header, a line without three fields, or what
    ///   ``init(countries:blockers:)`` rejects.
    public init(tsv: String) throws(GazetteerError) {
        var countries: [Country] = []
        var blockers: [String] = []
        var sawHeader = false
        // Character-wise, "\r\n" is one newline.
        for (number, line) in tsv.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else { throw .malformedLine(number + 1, String(line)) }
            guard sawHeader else {
                guard fields == ["code", "name", "terms"] else { throw .malformedLine(number + 1, String(line)) }
                sawHeader = true
                continue
            }
            let terms = fields[2].split(separator: "|").map(String.init)
            if fields[0] == "-" {
                blockers += terms
            } else {
                guard !fields[0].isEmpty else { throw .malformedLine(number + 1, String(line)) }
                countries.append(Country(code: fields[0], name: fields[1], terms: terms))
            }
        }
        guard sawHeader else { throw .malformedLine(0, "no header line") }
        try self.init(countries: countries, blockers: blockers)
    }

    /// Reads a gazetteer TSV file.
    ///
    /// - Throws: the file system's error, or ``GazetteerError``.
    public static func load(path: String) throws -> Gazetteer {
        let data = try Data(contentsOf: URL(filePath: path))
        guard let text = String(validating: data, as: UTF8.self) else { throw GazetteerError.notUTF8(path) }
        return try Gazetteer(tsv: text)
    }

    /// The display name of `code`, or `nil` for a code not in the gazetteer.
    public func name(of code: String) -> String? { names[code] }

    /// The codes of the countries named in `title`, sorted, each once (see the type's documentation).
    public func countries(inTitle title: String) -> [String] {
        let tokens = Self.tokens(title)
        var found: Set<String> = []
        var position = 0
        while position < tokens.count {
            var length = 1
            if let candidates = index[tokens[position]] {
                for phrase in candidates where Self.matches(phrase.tokens, tokens, at: position) {
                    if let code = phrase.code { found.insert(code) }
                    length = phrase.tokens.count
                    break
                }
            }
            position += length
        }
        return found.sorted()
    }

    private static func matches(_ phrase: [String], _ tokens: [String], at position: Int) -> Bool {
        guard position + phrase.count <= tokens.count else { return false }
        for offset in 1..<max(phrase.count, 1) where phrase[offset] != tokens[position + offset] { return false }
        return true
    }

    /// The lower-cased tokens of `text`: maximal runs of letters and digits.
    public static func tokens(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }
}

/// Why a gazetteer could not be built or read.
public enum GazetteerError: Error, Equatable, CustomStringConvertible {
    /// Two entries have the same code.
    case duplicateCode(String)
    /// A term has no letters or digits.
    case emptyTerm(code: String, term: String)
    /// A term (compared by its tokens) belongs to two codes, or to a code and a blocker (`-`).
    case sharedTerm(term: String, codes: [String])
    /// A line (1-based number) without three TAB-separated fields, or a missing header.
    case malformedLine(Int, String)
    /// The file is not UTF-8.
    case notUTF8(String)

    public var description: String {
        switch self {
        case .duplicateCode(let code): "duplicate code \(code)"
        case .emptyTerm(let code, let term): "term '\(term)' of \(code) has no letters or digits"
        case .sharedTerm(let term, let codes): "term '\(term)' belongs to \(codes.joined(separator: " and "))"
        case .malformedLine(let number, let line): "line \(number): expected code<TAB>name<TAB>terms, got '\(line)'"
        case .notUTF8(let path): "\(path) is not UTF-8"
        }
    }
}
