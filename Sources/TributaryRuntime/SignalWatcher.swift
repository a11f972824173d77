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
