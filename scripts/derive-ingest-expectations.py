#!/usr/bin/env python3
"""Independent derivation of what the connectors should produce from the bundled recordings.

Usage (from the repository root):

    python3 scripts/derive-ingest-expectations.py

Wikimedia (every `data/wikimedia/*.jsonl`): per file, the events (non-empty lines), the events per `type` and
per `wiki`, the canary events (`meta.domain == "canary"`, which the connector drops), and the first and last
`meta.dt` as epoch milliseconds (via `datetime`).

GDELT (every `data/gdelt/*.export.CSV`): per file, the rows (lines), the set of field counts (split on TAB),
the rows per ActionGeo_CountryCode (column 54; "" for none) for the three most common codes, and for rows 1, 2
and the last row: GLOBALEVENTID (1), EventCode (27), EventRootCode (29), QuadClass (30), GoldsteinScale (31),
AvgTone (35), ActionGeo_CountryCode (54), ActionGeo_Lat (57), DATEADDED (60), SOURCEURL (61), as raw text.

Only the standard library is used; nothing is shared with the Swift code.
"""

import collections
import datetime
import glob
import json


def epoch_ms(dt):
    return int(datetime.datetime.fromisoformat(dt.replace("Z", "+00:00")).timestamp() * 1000)


def wikimedia():
    out = {}
    for path in sorted(glob.glob("data/wikimedia/*.jsonl")):
        events = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
        out[path] = {
            "events": len(events),
            "per_type": dict(sorted(collections.Counter(e["type"] for e in events).items())),
            "per_wiki": dict(sorted(collections.Counter(e["wiki"] for e in events).items())),
            "canary": sum(1 for e in events if e["meta"].get("domain") == "canary"),
            "first_dt_ms": epoch_ms(events[0]["meta"]["dt"]),
            "last_dt_ms": epoch_ms(events[-1]["meta"]["dt"]),
        }
    return out


def gdelt():
    out = {}
    columns = {1: "GLOBALEVENTID", 27: "EventCode", 29: "EventRootCode", 30: "QuadClass", 31: "GoldsteinScale",
               35: "AvgTone", 54: "ActionGeo_CountryCode", 57: "ActionGeo_Lat", 60: "DATEADDED", 61: "SOURCEURL"}
    for path in sorted(glob.glob("data/gdelt/*.export.CSV")):
        rows = [line.rstrip("\n").split("\t") for line in open(path, encoding="utf-8", newline="\n")]
        def pick(row):
            return {name: row[i - 1] for i, name in columns.items()}
        out[path] = {
            "rows": len(rows),
            "field_counts": sorted({len(r) for r in rows}),
            "top_action_countries": collections.Counter(r[53] for r in rows).most_common(3),
            "row1": pick(rows[0]),
            "row2": pick(rows[1]),
            "last": pick(rows[-1]),
        }
    return out


print(json.dumps({"wikimedia": wikimedia(), "gdelt": gdelt()}, indent=1, ensure_ascii=False))
