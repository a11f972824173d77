import Dispatch
import Foundation

/// Calls a handler on SIGINT or SIGTERM instead of letting the process die, so the app can commit and close.
final class SignalWatcher: @unchecked Sendable {
    // The sources are created in init and only cancelled afterwards; Dispatch sources are thread-safe.
    private let sources: [any DispatchSourceSignal]

    init(_ handler: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "tributary.signals")
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}

/// Stops an app once it has processed nothing for a while after its input ran dry.
struct IdleStopper: Sendable {
    let app: StreamsApp
    let idleSeconds: Double

    func start() {
        let app = self.app
        let idleMs = Int64(idleSeconds * 1000)
        let started = Int64(Date().timeIntervalSince1970 * 1000)
        let timer = Thread {
            while true {
                Thread.sleep(forTimeInterval: 0.1)
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                let last = max(app.lastProgressMs, started)
                if now - last >= idleMs {
                    app.stop()
                    return
                }
            }
        }
        timer.start()
    }
}
