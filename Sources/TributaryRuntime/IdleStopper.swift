import Foundation

/// Stops an app once it has processed nothing for a while after every thread joined the group.
struct IdleStopper: Sendable {
    let app: StreamsApp
    let idleSeconds: Double

    func start() {
        let app = self.app
        let idleMs = Int64(idleSeconds * 1000)
        let timer = Thread {
            while true {
                Thread.sleep(forTimeInterval: 0.1)
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                if let last = app.lastActivityMs, now - last >= idleMs {
                    app.stop()
                    return
                }
            }
        }
        timer.start()
    }
}
