import Testing
import TributaryCore
import TributaryTesting

/// The shared conformance checks against the in-memory stores.
@Suite struct InMemoryStoreConformanceTests {
    @Test(arguments: KeyValueStoreConformance.checks)
    func keyValueStorePasses(_ check: StoreConformanceCheck<KeyValueStoreFactory>) throws {
        try check.run { InMemoryKeyValueStore(name: "kv") }
    }

    @Test(arguments: WindowStoreConformance.checks)
    func windowStorePasses(_ check: StoreConformanceCheck<WindowStoreFactory>) throws {
        try check.run { InMemoryWindowStore(name: "windows", retentionMs: $0) }
    }

    @Test(arguments: SessionStoreConformance.checks)
    func sessionStorePasses(_ check: StoreConformanceCheck<SessionStoreFactory>) throws {
        try check.run { InMemorySessionStore(name: "sessions", retentionMs: $0) }
    }
}
