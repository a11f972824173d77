import Foundation

/// A fresh directory under the system temp dir, removed when `remove()` is
/// called (tests call it in `defer`).
struct TemporaryDirectory {
    /// Absolute path of the directory.
    let path: String

    /// Creates a uniquely named directory.
    init() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("tributary-rocksdb-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    /// Path of `name` inside the directory.
    func child(_ name: String) -> String { path + "/" + name }

    /// Deletes the directory and everything in it.
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
