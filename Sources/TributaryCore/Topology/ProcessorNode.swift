/// Runs a user or DSL ``Processor`` inside a task.
final class ProcessorNode<P: Processor>: NodeInput<P.KeyIn, P.ValueIn>, NodeLifecycle {
    let processor: P
    let context: ProcessorContext<P.KeyOut, P.ValueOut>

    init(name: String, processor: P, context: ProcessorContext<P.KeyOut, P.ValueOut>) {
        self.processor = processor
        self.context = context
        super.init(name: name)
    }

    override func process(_ record: Record<P.KeyIn, P.ValueIn>) throws {
        do {
            try processor.process(record)
        } catch let failure as NodeFailure {
            throw failure
        } catch {
            throw NodeFailure(node: name, stage: .processing, underlying: error)
        }
    }

    func initialize() throws { try processor.initialize(context: context) }
    func close() { processor.close() }

    /// The builder closure that instantiates a processor node from a supplier.
    static func factory(name: String, supplier: @escaping @Sendable () -> P)
        -> @Sendable (TaskContext, [NodeDefinition.Instance]) throws -> NodeDefinition.Instance
    {
        return { task, children in
            let context = ProcessorContext<P.KeyOut, P.ValueOut>(task: task, nodeName: name)
            let inputs = NodeDefinition.Instance.inputs(children, as: (P.KeyOut, P.ValueOut).self)
            context.children = inputs
            context.childrenByName = Dictionary(inputs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            let node = ProcessorNode(name: name, processor: supplier(), context: context)
            return NodeDefinition.Instance(input: node, source: nil, lifecycle: node)
        }
    }
}
