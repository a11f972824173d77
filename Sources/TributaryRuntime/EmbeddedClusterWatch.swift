import Foundation
import Logging
import TributaryKafka

/// Stops the app as soon as the embedded cluster reports lost data, so a run never continues on a log with
/// holes; `run` then exits with the cluster's error.
struct EmbeddedClusterWatch: Sendable {
    let cluster: EmbeddedKafkaCluster
    let app: StreamsApp
    let logger: Logger

    func start() {
        let watch = self
        let thread = Thread {
            while true {
                Thread.sleep(forTimeInterval: 0.5)
                do {
                    try watch.cluster.checkHealthy()
                } catch {
                    watch.logger.critical("embedded Kafka cluster lost data, stopping: \(error)")
                    watch.app.stop()
                    return
                }
            }
        }
        thread.start()
    }
}
