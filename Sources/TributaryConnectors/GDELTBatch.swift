import Foundation
import ZIPFoundation

/// One GDELT events export file, fully read, verified and parsed before anything is produced.
public struct GDELTBatch: Sendable {
    /// A row that failed to parse: its raw bytes (without the line end), 1-based line number and the error.
    public struct RejectedRow: Sendable {
        /// The row as in the file.
        public var raw: [UInt8]
        /// The 1-based line number in the (unzipped) file.
        public var line: Int
        /// Why it was rejected.
        public var error: GDELTRowError
    }

    /// The slot from the file name (`YYYYMMDDHHMMSS`), or nil when the name does not start with one.
    public var slot: Int64?
    /// Where the batch came from (a path or URL), for logs and dead-letter headers.
    public var source: String
    /// The parsed rows, in file order.
    public var events: [GDELTEvent]
    /// The rows that did not parse, in file order.
    public var rejected: [RejectedRow]
    /// Whether a header line (`GLOBALEVENTID...`, as some mirrors add) was skipped.
    public var skippedHeader: Bool

    /// Parses the text of an export file (native, or with one added header line).
    public init(csv bytes: [UInt8], source: String, slot: Int64?) {
        var storage: [GDELTEvent] = []
        self = bytes.withUnsafeBufferPointer { GDELTBatch(csv: $0, source: source, slot: slot, storage: &storage) }
    }

    /// Parses as ``init(csv:source:slot:)`` does, with `events` in the allocation of `storage` (its elements are
    /// dropped, and `storage` is left empty): a replay hands each batch the array of the one before, whose pages
    /// are already mapped.
    init(csv buffer: UnsafeBufferPointer<UInt8>, source: String, slot: Int64?, storage: inout [GDELTEvent]) {
        self.source = source
        self.slot = slot
        events = []
        rejected = []
        skippedHeader = false
        swap(&events, &storage)
        events.removeAll(keepingCapacity: true)
        events.reserveCapacity(buffer.count / 380)
        var lineNumber = 0
        var start = 0
        let count = buffer.count
        let header = Array("GLOBALEVENTID".utf8)
        while start < count {
            var end = start
            while end < count, buffer[end] != 0x0A { end += 1 }
            lineNumber += 1
            var lineEnd = end
            if lineEnd > start, buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let line = UnsafeBufferPointer(rebasing: buffer[start..<lineEnd])
            defer { start = end + 1 }
            if line.isEmpty { continue }
            if lineNumber == 1, line.count >= header.count, line.prefix(header.count).elementsEqual(header) {
                skippedHeader = true
                continue
            }
            do throws(GDELTRowError) {
                events.append(try GDELTEvent(row: line))
            } catch {
                rejected.append(RejectedRow(raw: Array(line), line: lineNumber, error: error))
            }
        }
    }

    /// The slot at the start of a file name such as `20190121220000.export.CSV.zip`, or nil.
    public static func slot(fromFileName name: String) -> Int64? {
        let base = (name as NSString).lastPathComponent
        guard base.utf8.count >= 14 else { return nil }
        let digits = String(base.prefix(14))
        guard GDELTSlot.milliseconds(digits) != nil else { return nil }
        return Int64(digits)
    }
}

/// A whole-batch failure: the batch is not produced at all (and retried where that makes sense).
public struct GDELTBatchError: Error, CustomStringConvertible, Sendable {
    /// A stable reason for counters: `md5-mismatch`, `size-mismatch`, `bad-zip`, `http-error`, `read-error`.
    public var reason: String
    /// What went wrong, in words.
    public var message: String

    public var description: String { "\(reason): \(message)" }
}

/// Unzipping and verification of downloaded batches.
public enum GDELTArchive {
    /// The bytes of the single `.CSV` member of a GDELT zip, CRC-checked.
    /// - Throws: ``GDELTBatchError`` with reason `bad-zip` for a truncated or corrupt archive.
    public static func unzip(_ zip: [UInt8], source: String) throws(GDELTBatchError) -> [UInt8] {
        do {
            let archive = try Archive(data: Data(zip), accessMode: .read)
            guard let entry = archive.first(where: { $0.type == .file }) else {
                throw GDELTBatchError(reason: "bad-zip", message: "\(source): the zip has no file in it")
            }
            var out: [UInt8] = []
            out.reserveCapacity(Int(entry.uncompressedSize))
            // ZIPFoundation computes the CRC-32 of what it inflated but does not compare it: check it here, with
            // the size, so a corrupt member is rejected instead of parsed.
            let checksum = try archive.extract(entry) { chunk in out.append(contentsOf: chunk) }
            guard checksum == entry.checksum, out.count == Int(entry.uncompressedSize) else {
                throw GDELTBatchError(
                    reason: "bad-zip",
                    message: "\(source): CRC-32 or size of the unzipped member does not match the archive's")
            }
            return out
        } catch let error as GDELTBatchError {
            throw error
        } catch {
            throw GDELTBatchError(reason: "bad-zip", message: "\(source): cannot unzip (truncated or corrupt): \(error)")
        }
    }

    /// Checks a download against the size and MD5 that `lastupdate.txt` lists for it.
    /// - Throws: ``GDELTBatchError`` with reason `size-mismatch` or `md5-mismatch`.
    public static func verify(_ bytes: [UInt8], size: Int, md5: String, source: String) throws(GDELTBatchError) {
        guard bytes.count == size else {
            throw GDELTBatchError(
                reason: "size-mismatch", message: "\(source): \(bytes.count) bytes, lastupdate.txt says \(size)")
        }
        let actual = MD5.hex(bytes)
        guard actual == md5.lowercased() else {
            throw GDELTBatchError(reason: "md5-mismatch", message: "\(source): MD5 \(actual), lastupdate.txt says \(md5)")
        }
    }

    /// Reads a recorded export file: unzipped when the name ends in `.zip`, otherwise as is.
    public static func read(path: String) throws(GDELTBatchError) -> [UInt8] {
        try withContents(of: path) { Array($0) }
    }

    /// Calls `body` with the bytes ``read(path:)`` returns, without copying an unzipped file.
    static func withContents<R>(of path: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) throws(GDELTBatchError) -> R {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GDELTBatchError(reason: "read-error", message: "cannot read \(path)")
        }
        if path.lowercased().hasSuffix(".zip") { return try unzip(Array(data), source: path).withUnsafeBufferPointer(body) }
        return data.withUnsafeBytes { body($0.assumingMemoryBound(to: UInt8.self)) }
    }
}

/// One line of `lastupdate.txt` (or `masterfilelist.txt`): `size md5 url`.
public struct GDELTFileEntry: Equatable, Sendable {
    /// The zip's size in bytes.
    public var size: Int
    /// The zip's MD5, hex.
    public var md5: String
    /// The zip's URL.
    public var url: String

    /// The events export entries of a `lastupdate.txt` body (normally one; the mentions and GKG lines are skipped).
    /// - Throws: ``GDELTBatchError`` `bad-lastupdate` when no line is a well-formed export entry.
    public static func exportEntries(lastUpdate text: String) throws(GDELTBatchError) -> [GDELTFileEntry] {
        var entries: [GDELTFileEntry] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: " ")
            guard parts.count == 3, let size = Int(parts[0]), parts[1].count == 32,
                parts[2].hasSuffix(".export.CSV.zip")
            else { continue }
            entries.append(GDELTFileEntry(size: size, md5: String(parts[1]), url: String(parts[2])))
        }
        guard !entries.isEmpty else {
            throw GDELTBatchError(
                reason: "bad-lastupdate", message: "no '<size> <md5> <url>.export.CSV.zip' line in: \(text.prefix(200))")
        }
        return entries
    }

    /// The zip's file name (the last path component of the URL).
    public var fileName: String { String(url.split(separator: "/").last ?? "") }
}
