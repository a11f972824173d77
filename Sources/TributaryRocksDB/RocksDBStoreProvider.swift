import Foundation
import TributaryCore

/// Makes the runtime's stores: one RocksDB database per (task, store) under
/// `<state directory>/<application id>/<task id>/<store>`, all sharing one ``RocksDBResources``.
///
/// A task that moves between stream threads of one instance reopens the same directory; RocksDB's lock is
/// released when the previous owner closes it, so opening retries for a short while before giving up.
package final class RocksDBStoreProvider: StateStoreProvider {
    /// `<state directory>/<application id>`.
    package let root: String
    private let resources: RocksDBResources
    private let lockWait: Duration

    package init(stateDirectory: String, applicationID: String, resources: RocksDBResources, lockWait: Duration = .seconds(10)) {
        self.root = (stateDirectory as NSString).appendingPathComponent(applicationID)
        self.resources = resources
        self.lockWait = lockWait
    }

    /// The directory of `store` of task `taskID`.
    package func path(store: String, taskID: TaskID) -> String {
        ((root as NSString).appendingPathComponent(taskID.description) as NSString).appendingPathComponent(store)
    }

    package func makeStore(_ spec: StoreSpec, taskID: TaskID) throws -> StateStore {
        let path = path(store: spec.name, taskID: taskID)
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let deadline = ContinuousClock.now + lockWait
        while true {
            do {
                return try open(spec, path: path)
            } catch let error as RocksDBError where error.message.contains("lock") && ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
    }

    private func open(_ spec: StoreSpec, path: String) throws -> StateStore {
        switch spec.kind {
        case .keyValue:
            try RocksDBKeyValueBytesStore(name: spec.name, path: path, resources: resources)
        case .window(let retentionMs):
            try RocksDBWindowStore(name: spec.name, path: path, retentionMs: retentionMs, resources: resources)
        case .session(let retentionMs):
            try RocksDBSessionStore(name: spec.name, path: path, retentionMs: retentionMs, resources: resources)
        }
    }
}
