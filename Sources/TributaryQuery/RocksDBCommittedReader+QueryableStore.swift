import TributaryCore
import TributaryRocksDB

extension RocksDBCommittedReader: QueryableStore {
    package func windows(_ key: [UInt8], type: QueryStoreType, from: Int64, to: Int64) throws -> [QueryWindow] {
        switch type {
        case .window:
            try windows(key, from: from, to: to).map { QueryWindow(start: $0.windowStart, end: nil, value: $0.value) }
        case .session:
            try sessions(key, from: from, to: to).map {
                QueryWindow(start: $0.session.start, end: $0.session.end, value: $0.value)
            }
        case .keyValue:
            []
        }
    }
}
