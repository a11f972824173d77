import Foundation
import Testing
import TributaryCore
@testable import WikiEditsTopology

/// `WikiEdit.serde` writes by hand what the `Codable` JSON serde writes; readers of `wikimedia.edits` and the
/// query port depend on the two being the same bytes.
@Suite struct WikiEditJSONTests {
    private let codable = Serde<WikiEdit>.json()

    @Test func everyEditOfTheRecordingsEncodesAsCodableDoes() throws {
        let anonymizer = AnonymousUser(secret: (1, 2))
        var compared = 0
        for file in FixtureExpectation.all.flatMap(\.files) {
            for line in try fixtureLines(file) {
                let change = try JSONDecoder().decode(RecentChange.self, from: Data(line))
                let pseudonym = anonymizer.pseudonym(for: change.user)
                let edit = WikiEdit(
                    id: change.meta.id, wiki: change.wiki, title: change.title, user: pseudonym ?? change.user,
                    anonymous: pseudonym != nil, type: change.type, dt: change.meta.dt,
                    byteDelta: change.length.flatMap { length in length.new.map { $0 - (length.old ?? 0) } },
                    minor: change.minor ?? false, revision: change.revision?.new, serverURL: change.serverURL)
                #expect(try WikiEdit.serde.serializeOptional(edit) == codable.serializeOptional(edit), "\(file): \(change.title)")
                compared += 1
            }
        }
        #expect(compared > 1_000)
    }

    @Test func escapesNilsAndNegativeNumbersMatchCodable() throws {
        let edits = [
            WikiEdit(
                id: nil, wiki: "enwiki", title: "Quote \" backslash \\ tab \t newline \n bell \u{07} slash / é 日本",
                user: "ip-0011223344556677", anonymous: true, type: "new", dt: "2026-01-01T00:00:00Z",
                byteDelta: -9_223_372_036_854_775_807, minor: true, revision: nil, serverURL: nil),
            WikiEdit(
                id: "x", wiki: "", title: "", user: "", anonymous: false, type: "edit", dt: "", byteDelta: 0,
                minor: false, revision: Int64.max, serverURL: "https://en.wikipedia.org"),
        ]
        for edit in edits {
            let bytes = try WikiEdit.serde.serializeOptional(edit)
            #expect(bytes == (try codable.serializeOptional(edit)))
            #expect(try WikiEdit.serde.deserializeOptional(bytes) == edit)
        }
    }
}
