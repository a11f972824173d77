import Foundation

/// Resident set size of this process, from /proc/self/status: peak (`VmHWM`) and current (`VmRSS`).
enum PeakMemory {
    /// Peak resident set size in MB.
    static func megabytes() -> Int { field("VmHWM:") }

    /// Current resident set size in MB.
    static func currentMegabytes() -> Int { field("VmRSS:") }

    private static func field(_ name: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
        for line in status.split(separator: "\n") where line.hasPrefix(name) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            return (Int(fields[1]) ?? 0) / 1024
        }
        return -1
    }
}
