#!/usr/bin/env python3
"""Builds data/demo/georisk/, the real recorded sample that ./scripts/demo replays into GeoRisk.

Run from the repository root with the project's shared data set beside it (../shared/data); the output is
committed, so the demo does not need ../shared. Everything it writes is real recorded data, reformatted only:

* gdelt/<slot>.export.CSV.zip: every GDELT 2.0 export of 2025-05-16 in
  shared/data/gdelt/mirror-20250516-with-header (42 files, 59,660 rows), with the added header line removed so the
  file is GDELT's native 61-column TAB-separated export again, zipped as GDELT publishes it (one member,
  <slot>.export.CSV). Rows are byte for byte the mirror's.
* wikimedia/enwiki-20150912-wikiticker.jsonl: the English Wikipedia article edits of shared/data/wikimedia/
  druid-wikiticker (Druid's flattened sample of 2015-09-12), time 02:00:00 to 12:29:59 UTC, converted to the
  EventStreams recentchange shape with only the fields Druid really has: meta.dt (time), meta.domain and
  server_name (en.wikipedia.org, from channel #en.wikipedia), meta.stream, wiki (enwiki), type (new if isNew, else
  edit), namespace 0 (Druid's "Main"), title (page), user, bot (isRobot), minor (isMinor) and comment. Druid has no
  page lengths (only delta), no revision ids and no event ids, so `length`, `revision` and `meta.id` are absent:
  GeoRisk's bytesChanged is 0 for these edits.

The two sources are ten years apart. The demo aligns them: the GDELT files are replayed as back-to-back 15-minute
batches from 2025-05-16T02:00:00Z (--as-consecutive-batches), 42 batches = 10.5 hours, and the Wikipedia edits are
shifted by one constant so the first one falls at 2025-05-16T02:00:00Z (--rebase-time); the 10.5 hours of edits
chosen (02:00 to 12:30 of 2015-09-12) cover the same span.
"""
import gzip
import json
import pathlib
import sys
import zipfile

SHARED = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
OUT = pathlib.Path("data/demo/georisk")
WIKI_FROM, WIKI_TO = "2015-09-12T02:00:00", "2015-09-12T12:30:00"


def gdelt():
    source = SHARED / "gdelt/mirror-20250516-with-header"
    target = OUT / "gdelt"
    target.mkdir(parents=True, exist_ok=True)
    total = 0
    for path in sorted(source.glob("*.export.with-header.CSV")):
        slot = path.name.split(".")[0]
        lines = path.read_bytes().split(b"\n")
        assert lines[0].startswith(b"GLOBALEVENTID,"), path
        body = b"\n".join(lines[1:])
        rows = sum(1 for line in body.split(b"\n") if line)
        assert all(len(line.split(b"\t")) == 61 for line in body.split(b"\n") if line), path
        total += rows
        member = f"{slot}.export.CSV"
        info = zipfile.ZipInfo(member, date_time=(int(slot[:4]), int(slot[4:6]), int(slot[6:8]), int(slot[8:10]), int(slot[10:12]), 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with zipfile.ZipFile(target / f"{member}.zip", "w") as archive:
            archive.writestr(info, body)
    return total


def wikipedia():
    source = SHARED / "wikimedia/druid-wikiticker/wikiticker-2015-09-12-sampled.json.gz"
    target = OUT / "wikimedia"
    target.mkdir(parents=True, exist_ok=True)
    events = []
    with gzip.open(source, "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row["channel"] != "#en.wikipedia" or row["namespace"] != "Main":
                continue
            if not (WIKI_FROM <= row["time"] < WIKI_TO):
                continue
            events.append({
                "$schema": "/mediawiki/recentchange/1.0.0",
                "meta": {"dt": row["time"], "domain": "en.wikipedia.org", "stream": "mediawiki.recentchange"},
                "type": "new" if row["isNew"] else "edit",
                "namespace": 0,
                "title": row["page"],
                "comment": row["comment"],
                "user": row["user"],
                "bot": row["isRobot"],
                "minor": row["isMinor"],
                "wiki": "enwiki",
                "server_name": "en.wikipedia.org",
            })
    events.sort(key=lambda event: event["meta"]["dt"])  # the sample is not in time order
    with open(target / "enwiki-20150912-wikiticker.jsonl", "w", encoding="utf-8") as out:
        for event in events:
            out.write(json.dumps(event, ensure_ascii=False, sort_keys=True) + "\n")
    return len(events)


if __name__ == "__main__":
    rows = gdelt()
    edits = wikipedia()
    print(f"{OUT}/gdelt: {rows} rows; {OUT}/wikimedia: {edits} edits")
