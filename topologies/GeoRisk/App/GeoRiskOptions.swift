import ArgumentParser
import Foundation

/// The `georisk` binary's own options.
struct GeoRiskOptions: ParsableArguments {
    @Option(help: "Gazetteer TSV loaded into georisk.gazetteer when that topic is empty (see data/README.md).")
    var gazetteer: String = "data/georisk/gazetteer.tsv"

    @Option(help: "Seconds after its end a 15-minute window still accepts late records.")
    var graceSeconds: Int = 300

    @Option(help: "On an idle input, emit a window's final values after this many seconds without updates (0: never).")
    var idleCloseSeconds: Int = 60

    func validate() throws {
        if graceSeconds < 0 { throw ValidationError("--grace-seconds must be 0 or more, got \(graceSeconds)") }
        if idleCloseSeconds < 0 {
            throw ValidationError("--idle-close-seconds must be 0 (never) or more, got \(idleCloseSeconds)")
        }
    }
}
