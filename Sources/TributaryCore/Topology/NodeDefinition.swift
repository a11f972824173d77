/// A node of the topology graph as the builder records it: its name, links, and how to instantiate it per task.
final class NodeDefinition: @unchecked Sendable {
    // Mutated only by the single-threaded StreamsBuilder; immutable once a Topology holds it.
    enum Kind: Equatable {
        case source(topics: [String])
        case processor
        case sink(topic: String)
    }

    /// An instantiated node: its typed input (nil for sources), source hooks, lifecycle hooks.
    struct Instance {
        var input: AnyObject?
        var source: SourceNodeBase?
        var lifecycle: NodeLifecycle?
    }

    let name: String
    let kind: Kind
    var parents: [String]
    var children: [String] = []
    /// Names of the state stores this node reads and writes.
    var stores: [String] = []
    /// Nodes that must be in this node's sub-topology although no records flow between them (a stream-table
    /// join and the table it reads).
    var coLocatedWith: [String] = []
    /// Builds the node for one task from its children's instances, given in `children` order.
    let instantiate: @Sendable (TaskContext, [Instance]) throws -> Instance

    init(
        name: String, kind: Kind, parents: [String],
        instantiate: @escaping @Sendable (TaskContext, [Instance]) throws -> Instance
    ) {
        self.name = name
        self.kind = kind
        self.parents = parents
        self.instantiate = instantiate
    }
}

extension NodeDefinition.Instance {
    /// The children's typed inputs; a type mismatch here is a builder bug, not a user error.
    static func inputs<Key, Value>(_ children: [NodeDefinition.Instance], as: (Key, Value).Type)
        -> [NodeInput<Key, Value>]
    {
        children.map { child in
            guard let input = child.input as? NodeInput<Key, Value> else {
                preconditionFailure("child node does not accept Record<\(Key.self), \(Value.self)>")
            }
            return input
        }
    }
}
