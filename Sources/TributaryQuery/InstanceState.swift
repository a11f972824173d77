/// The life cycle of one instance, as `/health` and the instances topic report it.
package enum InstanceState: String, Codable, Sendable, Equatable {
    /// Started, no partitions processed yet (joining the group, or waiting for its first assignment).
    case starting
    /// Some task is rebuilding its stores from their changelogs.
    case restoring
    /// Every task is processing.
    case running
    /// Committing and closing after a stop request.
    case stopping
}
