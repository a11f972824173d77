/// Wikipedia statistics of one country in one 15-minute window: the Wikipedia side of a risk signal.
public struct WikiWindowStats: Codable, Sendable, Equatable {
    /// Counted edits (human article edits and creations whose title names the country).
    public var edits: Int64
    /// Distinct users among them.
    public var editors: Int64
    /// Sum of |length.new − length.old| (new pages: their length).
    public var bytesChanged: Int64
    /// Up to ``maxTopArticles`` titles with the most edits, most first, ties by title ascending.
    public var topArticles: [ArticleEdits]

    /// How many top articles a window keeps.
    public static let maxTopArticles = 3

    /// Creates statistics.
    public init(edits: Int64, editors: Int64, bytesChanged: Int64, topArticles: [ArticleEdits]) {
        self.edits = edits
        self.editors = editors
        self.bytesChanged = bytesChanged
        self.topArticles = topArticles
    }
}

/// A title and its number of counted edits in a window.
public struct ArticleEdits: Codable, Sendable, Equatable {
    /// Page title.
    public var title: String
    /// Edits of it.
    public var edits: Int64

    /// Creates an entry.
    public init(title: String, edits: Int64) {
        self.title = title
        self.edits = edits
    }
}

/// The state of the Wikipedia aggregation of one country and window: what ``WikiWindowStats`` needs, including
/// the distinct editors (hashed, see ``WikiCountryEdit``) and the edits per title.
///
/// Its size grows with the distinct titles and editors of the window; a busy country's window holds a few
/// hundred of each.
public struct WikiWindowState: Codable, Sendable, Equatable {
    /// Counted edits.
    public var edits: Int64 = 0
    /// Sum of bytes changed.
    public var bytesChanged: Int64 = 0
    /// Distinct editor keys, sorted.
    public var editorKeys: [String] = []
    /// Edits per title.
    public var articleEdits: [String: Int64] = [:]

    /// An empty state.
    public init() {}

    /// This state with `edit` counted.
    public func adding(_ edit: WikiCountryEdit) -> WikiWindowState {
        var next = self
        next.edits += 1
        next.bytesChanged += edit.bytesChanged
        let position = next.editorKeys.partitionPoint { $0 < edit.editor }
        if position == next.editorKeys.count || next.editorKeys[position] != edit.editor {
            next.editorKeys.insert(edit.editor, at: position)
        }
        next.articleEdits[edit.title, default: 0] += 1
        return next
    }

    /// The window's statistics.
    public var stats: WikiWindowStats {
        let top = articleEdits.map { ArticleEdits(title: $0.key, edits: $0.value) }
            .sorted { $0.edits != $1.edits ? $0.edits > $1.edits : $0.title < $1.title }
            .prefix(WikiWindowStats.maxTopArticles)
        return WikiWindowStats(
            edits: edits, editors: Int64(editorKeys.count), bytesChanged: bytesChanged, topArticles: Array(top))
    }
}

extension Array {
    /// The first index whose element does not satisfy `belongs` (the array is partitioned by it).
    func partitionPoint(_ belongs: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if belongs(self[middle]) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
