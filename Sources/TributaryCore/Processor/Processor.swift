/// A processor of key-value records: the low-level Processor API, for logic the DSL does not express.
///
/// A processor is created once per task by the supplier given to ``KStream/process(named:_:)``, so its
/// state is private to one partition's records and needs no locking. The runtime calls ``initialize(context:)``
/// before the first record, ``process(_:)`` for every record in order, and ``close()`` when the task closes.
///
/// ```swift
/// final class Deduplicate: Processor {
///     private var seen = Set<String>()
///     private var context: ProcessorContext<String, String>!
///     func initialize(context: ProcessorContext<String, String>) { self.context = context }
///     func process(_ record: Record<String, String>) throws {
///         if seen.insert(record.value).inserted { try context.forward(record) }
///     }
/// }
/// ```
public protocol Processor<KeyIn, ValueIn, KeyOut, ValueOut>: AnyObject, SendableMetatype {
    /// The key type of incoming records.
    associatedtype KeyIn
    /// The value type of incoming records.
    associatedtype ValueIn
    /// The key type of forwarded records.
    associatedtype KeyOut
    /// The value type of forwarded records.
    associatedtype ValueOut

    /// Called once before any record; keep the context to forward records and schedule punctuations.
    func initialize(context: ProcessorContext<KeyOut, ValueOut>) throws
    /// Processes one record. A thrown error goes to the topology's processing error policy.
    func process(_ record: Record<KeyIn, ValueIn>) throws
    /// Called once when the task closes; release resources here.
    func close()
}

extension Processor {
    /// Does nothing.
    public func initialize(context: ProcessorContext<KeyOut, ValueOut>) throws {}
    /// Does nothing.
    public func close() {}
}
