/// Why `tributary replay` did nothing (or stopped).
package enum ReplayError: Error, CustomStringConvertible {
    /// An instance of the application is alive; `evidence` says how it was seen.
    case applicationAlive(applicationID: String, evidence: [String])
    /// A topic given with --topics does not exist.
    case unknownTopic(String)
    /// Without --topics, the group has no committed offsets to reset.
    case noCommittedInputs(applicationID: String)
    /// No record arrived from a partition the binary search needed.
    case fetchTimedOut(topic: String, partition: Int32, offset: Int64)
    /// Joining the group to commit the new offsets did not complete.
    case joinTimedOut(applicationID: String)

    package var description: String {
        switch self {
        case .applicationAlive(let app, let evidence):
            "application '\(app)' is running (\(evidence.joined(separator: "; "))); stop every instance, wait for "
                + "the group to be empty (about the session timeout after a crash, 15 s for an instance entry), then "
                + "run replay again"
        case .unknownTopic(let topic):
            "topic '\(topic)' does not exist; --topics takes the application's input topics, comma-separated"
        case .noCommittedInputs(let app):
            "consumer group '\(app)' has no committed offsets on any topic, so its inputs are unknown; name them "
                + "with --topics t1,t2 (and check --app is the application id)"
        case .fetchTimedOut(let topic, let partition, let offset):
            "no record came from \(topic)-\(partition) at offset \(offset) within 30 s while searching for the "
                + "offset by timestamp; check that the brokers are up, or use --to-earliest"
        case .joinTimedOut(let app):
            "could not join consumer group '\(app)' to commit the new offsets within the join timeout; check that "
                + "the brokers are up and nothing else uses the group id"
        }
    }
}
