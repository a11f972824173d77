import Foundation

/// Peak resident set size of this process, from `VmHWM` in /proc/self/status.
enum PeakMemory {
    static func megabytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            return (Int(fields[1]) ?? 0) / 1024
        }
        return -1
    }
}
