import Foundation
import GeoRiskTopology
import Testing

/// The repository root, from this file's path (`Tests/TopologyTests/<file>`).
func repositoryRoot(_ file: String = #filePath) -> URL {
    URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// The project's gazetteer, `data/georisk/gazetteer.tsv`.
func loadProjectGazetteer() throws -> Gazetteer {
    try Gazetteer.load(path: repositoryRoot().appendingPathComponent("data/georisk/gazetteer.tsv").path)
}

struct TitleCase: CustomTestStringConvertible, Sendable {
    var title: String
    var codes: [String]
    var testDescription: String { "\"\(title)\" -> \(codes)" }
}

@Suite struct GeoRiskGazetteerTests {
    @Test func theProjectFileLoadsWithTheCorrectedFIPSCodes() throws {
        let gazetteer = try loadProjectGazetteer()
        #expect(gazetteer.countries.count == 278)
        // The known-bad table (fips10-4_country_codes.csv) has GM = The Gambia and GA = Gabon.
        #expect(gazetteer.name(of: "GM") == "Germany")
        #expect(gazetteer.name(of: "GA") == "Gambia")
        #expect(gazetteer.name(of: "GB") == "Gabon")
        #expect(gazetteer.name(of: "UP") == "Ukraine")
        #expect(gazetteer.name(of: "RS") == "Russia")
        #expect(gazetteer.name(of: "CH") == "China")
        #expect(gazetteer.name(of: "IS") == "Israel")
        #expect(gazetteer.name(of: "SP") == "Spain")
        #expect(gazetteer.name(of: "YI") == "Serbia and Montenegro")
        #expect(gazetteer.name(of: "RB") != nil, "GDELT's non-standard Serbian code")
        #expect(gazetteer.name(of: "XX") == nil)
        #expect(gazetteer.countries.map(\.code) == gazetteer.countries.map(\.code).sorted())
    }

    @Test func everyCountryCodeObservedInTheRecordedGDELTFilesIsKnown() throws {
        let observed = repositoryRoot().appendingPathComponent(
            "../shared/data/gdelt/lookups/fips10-4_country_observed_in_samples.tsv")
        guard FileManager.default.fileExists(atPath: observed.path) else { return }  // a fresh clone has no ../shared
        let gazetteer = try loadProjectGazetteer()
        let codes = try String(contentsOf: observed, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { String($0.split(separator: "\t")[0]) }
        #expect(codes.count == 129)
        #expect(codes.filter { gazetteer.name(of: $0) == nil } == [])
    }

    static let cases: [TitleCase] = [
        TitleCase(title: "Ukraine", codes: ["UP"]),
        TitleCase(title: "UKRAINE", codes: ["UP"]),
        TitleCase(title: "ukrainian ground forces", codes: ["UP"]),
        TitleCase(title: "Ukraine's 2025 budget", codes: ["UP"]),
        TitleCase(title: "Ukrainetown", codes: []),
        TitleCase(title: "Russian invasion of Ukraine", codes: ["RS", "UP"]),
        TitleCase(title: "Germany–Ukraine relations", codes: ["GM", "UP"]),
        TitleCase(title: "Oman", codes: ["MU"]),
        TitleCase(title: "Romania", codes: ["RO"]),
        TitleCase(title: "Woman", codes: []),
        TitleCase(title: "Romanian Orthodox Church", codes: ["RO"]),
        TitleCase(title: "United States Army", codes: ["US"]),
        TitleCase(title: "American Civil War", codes: ["US"]),
        TitleCase(title: "American Samoa", codes: ["AQ"]),
        TitleCase(title: "United Kingdom general election", codes: ["UK"]),
        TitleCase(title: "Democratic Republic of the Congo", codes: ["CG"]),
        TitleCase(title: "Republic of the Congo", codes: ["CF"]),
        TitleCase(title: "Papua New Guinea", codes: ["PP"]),
        TitleCase(title: "Guinea-Bissau", codes: ["PU"]),
        TitleCase(title: "Equatorial Guinea", codes: ["EK"]),
        TitleCase(title: "Guinea", codes: ["GV"]),
        TitleCase(title: "South Sudan", codes: ["OD"]),
        TitleCase(title: "Sudan", codes: ["SU"]),
        TitleCase(title: "Niger", codes: ["NG"]),
        TitleCase(title: "Nigeria", codes: ["NI"]),
        TitleCase(title: "Côte d'Ivoire national football team", codes: ["IV"]),
        TitleCase(title: "New Jersey Devils", codes: []),
        TitleCase(title: "Jersey", codes: ["JE"]),
        TitleCase(title: "Indian Ocean", codes: []),
        TitleCase(title: "Oceans", codes: []),
        TitleCase(title: "Israel–Hamas war", codes: ["IS"]),
        TitleCase(title: "List of German football champions in Spain", codes: ["GM", "SP"]),
        TitleCase(title: "Lao Tzu", codes: []),
        TitleCase(title: "Svalbard Global Seed Vault", codes: ["SV"]),
        TitleCase(title: "", codes: []),
    ]

    @Test(arguments: cases)
    func titlesCountForEveryCountryNamedAsWholeWords(_ testCase: TitleCase) throws {
        #expect(try loadProjectGazetteer().countries(inTitle: testCase.title) == testCase.codes)
    }

    @Test func multiWordTermsNeedAllTheirWordsInOrder() throws {
        let gazetteer = try Gazetteer(
            countries: [
                .init(code: "AA", name: "Alpha", terms: ["Alpha", "Alpha Beta Gamma"]),
                .init(code: "BB", name: "Beta", terms: ["Beta"]),
            ],
            blockers: ["Beta Delta"])
        #expect(gazetteer.countries(inTitle: "alpha beta gamma") == ["AA"])  // longest wins, hides Beta
        #expect(gazetteer.countries(inTitle: "alpha beta") == ["AA", "BB"])  // the long term does not match
        #expect(gazetteer.countries(inTitle: "gamma beta alpha") == ["AA", "BB"])
        #expect(gazetteer.countries(inTitle: "beta delta") == [])
        // Punctuation only separates words: "Beta, Delta" is the blocker; the last "Beta" counts.
        #expect(gazetteer.countries(inTitle: "Beta, Delta; and Beta") == ["BB"])
    }

    @Test func aTermSharedByTwoCodesOrABrokenFileIsRejected() throws {
        #expect(throws: GazetteerError.sharedTerm(term: "georgia", codes: ["GG", "US"])) {
            try Gazetteer(countries: [
                .init(code: "GG", name: "Georgia", terms: ["Georgia"]),
                .init(code: "US", name: "United States", terms: ["georgia"]),
            ])
        }
        #expect(throws: GazetteerError.duplicateCode("GG")) {
            try Gazetteer(countries: [.init(code: "GG", name: "A", terms: []), .init(code: "GG", name: "B", terms: [])])
        }
        #expect(throws: GazetteerError.emptyTerm(code: "GG", term: "--")) {
            try Gazetteer(countries: [.init(code: "GG", name: "A", terms: ["--"])])
        }
        #expect(throws: GazetteerError.malformedLine(1, "UP\tUkraine")) { try Gazetteer(tsv: "UP\tUkraine\n") }
        #expect(throws: GazetteerError.malformedLine(2, "UP\tUkraine")) {
            try Gazetteer(tsv: "code\tname\tterms\nUP\tUkraine\n")
        }
        let parsed = try Gazetteer(tsv: "# comment\ncode\tname\tterms\r\nUP\tUkraine\tUkraine|Ukrainian\nOS\tOceans\t\n-\tx\tNew Ukraine\n")
        #expect(parsed.countries == [
            .init(code: "OS", name: "Oceans", terms: []), .init(code: "UP", name: "Ukraine", terms: ["Ukraine", "Ukrainian"]),
        ])
        #expect(parsed.blockers == ["New Ukraine"])
        #expect(parsed.countries(inTitle: "New Ukraine, Ukrainian Oceans") == ["UP"])
    }
}
