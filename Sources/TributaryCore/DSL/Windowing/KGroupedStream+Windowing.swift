extension KGroupedStream {
    /// Cuts the grouped stream into tumbling or hopping windows for windowed `count`, `reduce` or `aggregate`.
    ///
    /// - Parameter lateRecords: what to do, besides dropping and counting them, with records whose windows
    ///   have all closed (end + grace <= stream time).
    public func windowedBy(_ windows: TimeWindows, lateRecords: LateRecordPolicy = .drop) -> TimeWindowedKStream<Key, Value> {
        TimeWindowedKStream(grouped: self, definition: .time(windows), lateRecords: lateRecords)
    }

    /// Cuts the grouped stream into sliding windows (KIP-450) for windowed `count`, `reduce` or `aggregate`.
    /// The aggregation also keeps the records of the last `timeDifference + grace` in a changelogged store named
    /// `<store>-records`, to build new windows from.
    public func windowedBy(_ windows: SlidingWindows, lateRecords: LateRecordPolicy = .drop)
        -> TimeWindowedKStream<Key, Value>
    {
        TimeWindowedKStream(grouped: self, definition: .sliding(windows), lateRecords: lateRecords)
    }

    /// Cuts the grouped stream into sessions for session-windowed `count`, `reduce` or `aggregate`.
    public func windowedBy(_ windows: SessionWindows, lateRecords: LateRecordPolicy = .drop)
        -> SessionWindowedKStream<Key, Value>
    {
        SessionWindowedKStream(grouped: self, windows: windows, lateRecords: lateRecords)
    }
}
