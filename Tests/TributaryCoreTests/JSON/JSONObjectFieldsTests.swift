import Testing

@testable import TributaryCore

/// `JSONObjectFields` (keys found in one pass) against `JSONValue`'s keyed reads (one scan per key), which
/// `JSONValueTests` holds to `Codable`'s values and errors: every read must give the same value or error.
@Suite struct JSONObjectFieldsTests {
    /// What a read returned, or the error it threw, as text.
    func outcome(_ body: () throws -> Any?) -> String {
        do {
            return "value \(String(describing: try body()))"
        } catch {
            return "error " + JSONReference.summary(error) + " " + String(describing: error)
        }
    }

    /// Every keyed read, by name: how `JSONValue` does it and how `JSONObjectFields` does it.
    let reads: [(name: String, value: (JSONValue, String) throws -> Any?, fields: (JSONObjectFields, String) throws -> Any?)] = [
        ("string", { try $0.string($1) }, { try $0.string($1) }),
        ("optionalString", { try $0.optionalString($1) }, { try $0.optionalString($1) }),
        ("bool", { try $0.bool($1) }, { try $0.bool($1) }),
        ("optionalBool", { try $0.optionalBool($1) }, { try $0.optionalBool($1) }),
        ("int", { try $0.int($1) }, { try $0.int($1) }),
        ("optionalInt", { try $0.optionalInt($1) }, { try $0.optionalInt($1) }),
        ("int64", { try $0.int64($1) }, { try $0.int64($1) }),
        ("optionalInt64", { try $0.optionalInt64($1) }, { try $0.optionalInt64($1) }),
        ("double", { try $0.double($1) }, { try $0.double($1) }),
        ("optionalDouble", { try $0.optionalDouble($1) }, { try $0.optionalDouble($1) }),
        ("object", { try $0.object($1).codingPath.count }, { try $0.object($1).codingPath.count }),
        ("optionalObject", { try $0.optionalObject($1)?.codingPath.count }, { try $0.optionalObject($1)?.codingPath.count }),
        ("array", { try $0.array($1).count }, { try $0.array($1).count }),
        ("optionalArray", { try $0.optionalArray($1)?.count }, { try $0.optionalArray($1)?.count }),
        ("subscript", { $0[$1]?.kind }, { $0[$1]?.kind }),
        ("withUTF8", { Array(try $0.string($1).utf8) }, { try $0.withUTF8($1) { Array($0) } }),
        ("checkString", { _ = try $0.string($1); return "string" }, { try $0.checkString($1); return "string" }),
        ("checkOptionalString", { try $0.optionalString($1).map { _ in "string" } }, { try $0.checkOptionalString($1); return $0[$1].flatMap { $0.isNull ? nil : "string" } }),
    ]

    @Test func everyReadGivesWhatTheKeyedReadsGive() throws {
        let keys = JSONKeySet(["s", "n", "b", "o", "a", "absent", "dup", "esc\"aped", "é", ""])
        let values = ["\"x\"", "\"a\\u00e9\"", "-3", "2.5", "1e400", "9223372036854775808", "true", "null", "[1, 2]", "{\"k\": 1}"]
        var documents: [String] = []
        for value in values {
            documents.append(
                #"{"s": \#(value), "n": \#(value), "b": \#(value), "o": \#(value), "a": \#(value), "dup": \#(value), "#
                    + #""dup": 1, "esc\"aped": \#(value), "\u00e9": \#(value), "": \#(value), "other": 0}"#)
            documents.append(#"{"outer": {"inner": [{"s": \#(value), "b": \#(value)}]}}"#)
        }
        var valueOutcomes = 0
        var errorOutcomes = 0
        for document in documents {
            let top = try JSONValue.parse(Array(document.utf8))
            var objects = [top]
            if let inner = top["outer"] { objects = [try Array(inner.array("inner"))[0]] }
            for object in objects {
                let fields = try object.fields(keys)
                for key in keys.names {
                    for read in reads {
                        let expected = outcome { try read.value(object, key) }
                        #expect(outcome { try read.fields(fields, key) } == expected, "\(read.name)(\(key)) in \(document)")
                        if expected.hasPrefix("error") { errorOutcomes += 1 } else { valueOutcomes += 1 }
                    }
                }
            }
        }
        // The documents exercise both outcomes of every read, so agreement covers values and errors alike.
        #expect(valueOutcomes > 500 && errorOutcomes > 500, "\(valueOutcomes) values, \(errorOutcomes) errors")
    }

    @Test func isStringComparesDecodedStrings() throws {
        let object = try JSONValue.parse(Array(#"{"a": "canary", "b": "c\u0061nary", "c": "canary2", "d": 1, "e": null}"#.utf8))
        #expect(object["a"]!.isString("canary"))
        #expect(object["b"]!.isString("canary"))
        #expect(!object["c"]!.isString("canary"))
        #expect(!object["d"]!.isString("1"))
        #expect(!object["e"]!.isString("null"))
    }

    @Test func theFirstOfDuplicateKeysWins() throws {
        let object = try JSONValue.parse(Array(#"{"a": 1, "a": 2, "b\u0061": 3, "ba": 4}"#.utf8))
        let fields = try object.fields(JSONKeySet(["a", "ba"]))
        #expect(try fields.int("a") == 1)
        #expect(try fields.int("ba") == 3)
    }

    @Test func aFullSetFindsEveryKey() throws {
        // 32 keys of equal length share most hash inputs, so many collide and probe.
        let names = (0..<JSONKeySet.maxCount).map { "k" + String($0, radix: 2).leftPadded(to: 5) + "z" }
        let keys = JSONKeySet(names)
        let document = "{" + names.reversed().enumerated().map { "\"\($0.element)\": \($0.offset)" }.joined(separator: ", ") + "}"
        let fields = try JSONValue.parse(Array(document.utf8)).fields(keys)
        for (position, name) in names.enumerated() {
            #expect(try fields.int(name) == names.count - 1 - position)
        }
        let missing = try JSONValue.parse(Array("{\"k00000y\": 1}".utf8)).fields(keys)
        #expect(names.allSatisfy { missing[$0] == nil })
    }

    @Test func fieldsOfANonObjectThrowLikeAKeyedRead() throws {
        for document in ["[]", "null", "5", "\"s\""] {
            let value = try JSONValue.parse(Array(document.utf8))
            #expect(
                outcome { try value.fields(JSONKeySet(["a"])) } == outcome { try value.int("a") }, "\(document)")
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
