import Synchronization

/// A stop asked for (by a signal) before or after the app exists: the app is stopped as soon as both have happened.
final class PendingStop: Sendable {
    private let state = Mutex<(requested: Bool, app: StreamsApp?)>((false, nil))

    /// Stops the app now if it is attached, else once it is.
    func request() {
        let app = state.withLock { state -> StreamsApp? in
            state.requested = true
            return state.app
        }
        app?.stop()
    }

    /// The app to stop; stopped at once if a stop was already requested.
    func attach(_ app: StreamsApp) {
        let requested = state.withLock { state -> Bool in
            state.app = app
            return state.requested
        }
        if requested { app.stop() }
    }
}
