/// The typed entry of an instantiated node: records of type `Record<Key, Value>` go in here.
///
/// Nodes are linked by direct references at task creation, so forwarding a record is a virtual call with
/// no boxing, lookup or copy of the record's payload.
class NodeInput<Key, Value> {
    let name: String

    init(name: String) { self.name = name }

    func process(_ record: Record<Key, Value>) throws {
        preconditionFailure("\(type(of: self)) must override process(_:)")
    }
}

/// An error thrown by a node, tagged with the node and the stage it belongs to.
struct NodeFailure: Error {
    let node: String
    let stage: ErrorStage
    let underlying: any Error
}

/// Init and close hooks of an instantiated node.
protocol NodeLifecycle: AnyObject {
    func initialize() throws
    func close()
}
