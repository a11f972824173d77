// The processors behind the stateless DSL operators. Each is a closure in a Processor, so the DSL and the
// Processor API share one execution path.

/// Forwards records unchanged, or forwards what a closure makes of each record.
final class ClosureProcessor<KeyIn, ValueIn, KeyOut, ValueOut>: Processor {
    typealias Body = @Sendable (Record<KeyIn, ValueIn>, ProcessorContext<KeyOut, ValueOut>) throws -> Void
    private let body: Body
    private var context: ProcessorContext<KeyOut, ValueOut>!

    init(_ body: @escaping Body) { self.body = body }

    func initialize(context: ProcessorContext<KeyOut, ValueOut>) { self.context = context }

    func process(_ record: Record<KeyIn, ValueIn>) throws { try body(record, context) }
}

/// Sends each record to the first branch whose predicate accepts it, or to the default branch.
final class BranchProcessor<Key, Value>: Processor {
    private let predicates: [@Sendable (Key, Value) throws -> Bool]
    private let branchNames: [String]
    private let defaultBranch: String?
    private var targets: [NodeInput<Key, Value>] = []
    private var defaultTarget: NodeInput<Key, Value>?

    init(predicates: [@Sendable (Key, Value) throws -> Bool], branchNames: [String], defaultBranch: String?) {
        self.predicates = predicates
        self.branchNames = branchNames
        self.defaultBranch = defaultBranch
    }

    func initialize(context: ProcessorContext<Key, Value>) throws {
        targets = try branchNames.map { name in
            guard let node = context.childrenByName[name] else {
                throw TopologyError.unknownChild(processor: context.nodeName, child: name)
            }
            return node
        }
        defaultTarget = defaultBranch.flatMap { context.childrenByName[$0] }
    }

    func process(_ record: Record<Key, Value>) throws {
        for index in predicates.indices where try predicates[index](record.key, record.value) {
            try targets[index].process(record)
            return
        }
        try defaultTarget?.process(record)
    }
}
