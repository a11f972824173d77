/// Splits a stream into named branches: each record goes to the first branch whose predicate accepts it.
///
/// ```swift
/// let branches = edits.split(named: "lang-")
///     .branch("en") { _, edit in edit.wiki == "enwiki" }
///     .branch("de") { _, edit in edit.wiki == "dewiki" }
///     .defaultBranch("other")
/// branches["lang-en"]!.to("edits.en", key: .string, value: .json())
/// ```
/// Records no predicate accepts go to the default branch, or are dropped with ``noDefaultBranch()``.
public final class BranchedKStream<Key, Value> {
    /// Predicates and branch node names, frozen when the topology is built.
    final class Branches: @unchecked Sendable {
        // Appended to only while the single-threaded builder runs.
        var predicates: [@Sendable (Key, Value) throws -> Bool] = []
        var names: [String] = []
        var defaultName: String?
    }

    private let builder: StreamsBuilder
    private let splitName: String
    /// Prefix of branch node names: the given split name, or the generated one followed by `-`.
    private let branchPrefix: String
    private let state = Branches()
    private var streams: [String: KStream<Key, Value>] = [:]

    init(parent: KStream<Key, Value>, named: String?) {
        builder = parent.builder
        let state = self.state
        splitName = builder.addProcessor(named: named, prefix: "KSTREAM-BRANCH", parents: [parent.nodeName]) {
            BranchProcessor<Key, Value>(
                predicates: state.predicates, branchNames: state.names, defaultBranch: state.defaultName)
        }
        branchPrefix = named ?? splitName + "-"
    }

    private func addBranch(_ name: String?) -> String {
        let branchName = branchPrefix + (name ?? String(state.names.count + 1))
        let child = builder.addProcessor(named: branchName, prefix: "KSTREAM-BRANCHCHILD", parents: [splitName]) {
            ClosureProcessor<Key, Value, Key, Value> { record, context in try context.forward(record) }
        }
        streams[child] = KStream(builder: builder, nodeName: child)
        return child
    }

    /// Adds a branch for the records `predicate` accepts and that no earlier branch took.
    @discardableResult
    public func branch(_ name: String? = nil, _ predicate: @escaping @Sendable (Key, Value) throws -> Bool) -> Self {
        let child = addBranch(name)
        state.predicates.append(predicate)
        state.names.append(child)
        return self
    }

    /// Ends the split with a branch for every record no predicate accepted; returns all branches by name.
    public func defaultBranch(_ name: String? = nil) -> [String: KStream<Key, Value>] {
        let child = addBranch(name ?? "0")
        state.defaultName = child
        return streams
    }

    /// Ends the split, dropping records no predicate accepted; returns all branches by name.
    public func noDefaultBranch() -> [String: KStream<Key, Value>] {
        streams
    }
}
