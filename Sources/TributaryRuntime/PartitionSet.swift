/// The `--partitions` syntax: comma-separated partition numbers and inclusive ranges, e.g. `0-2,5`.
public enum PartitionSet {
    /// The partitions `text` names, ascending and distinct.
    /// - Throws: ``StreamsAppError/invalidPartitionSet(_:reason:)`` saying what the accepted form is.
    public static func parse(_ text: String) throws -> [Int32] {
        var partitions = Set<Int32>()
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        for item in items {
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            let bounds = trimmed.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count), let low = Int32(bounds[0]), low >= 0,
                let high = Int32(bounds.count == 2 ? bounds[1] : bounds[0])
            else {
                throw StreamsAppError.invalidPartitionSet(
                    text, reason: "'\(trimmed)' is not a partition number or a range like 0-2")
            }
            guard high >= low else {
                throw StreamsAppError.invalidPartitionSet(text, reason: "the range '\(trimmed)' ends before it starts")
            }
            for partition in low...high { partitions.insert(partition) }
        }
        return partitions.sorted()
    }

    /// `partitions` written in the `--partitions` syntax, ranges collapsed (`[0, 1, 2, 5]` → `0-2,5`).
    public static func format(_ partitions: [Int32]) -> String {
        var parts: [String] = []
        var index = 0
        let sorted = Array(Set(partitions)).sorted()
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count, sorted[end + 1] == sorted[end] + 1 { end += 1 }
            parts.append(end == index ? "\(sorted[index])" : "\(sorted[index])-\(sorted[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }
}

import Foundation
