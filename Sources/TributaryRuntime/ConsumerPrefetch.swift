/// The prefetch thresholds stream-thread consumers run with (see `StreamThread.prefetchDefaults` for why), shared
/// with the benchmarks so their raw-consumption baseline reads with the same thresholds as the topology.
package enum ConsumerPrefetch {
    /// librdkafka consumer properties: up to 128 MiB or 500,000 records queued per consumer.
    package static let streamThreadDefaults = ["queued.max.messages.kbytes": "131072", "queued.min.messages": "500000"]
}
