#!/usr/bin/env python3
"""Independent expectations for GeoRisk's GDELT window aggregates on the bundled exports (data/gdelt).

Straight from the TSV columns (no project code): per (ActionGeo_CountryCode, 15-minute window of DATEADDED)
events, conflictEvents (QuadClass 3/4), materialConflictEvents (QuadClass 4), mentions (sum of NumMentions),
severity (sum over QuadClass 3/4 rows of NumMentions * max(0, -GoldsteinScale), exact with Decimal) and the top
3 events by NumMentions * max(0, -GoldsteinScale), ties by GLOBALEVENTID ascending. Prints the totals and the
five windows with the highest severity; GeoRiskRecordedGDELTTests.swift pastes them as literals. Run from the
repository root:

    python3 scripts/derive-georisk-gdelt-expectations.py
"""
import glob
from collections import defaultdict
from decimal import Decimal

windows = defaultdict(lambda: {"events": 0, "conflict": 0, "material": 0, "mentions": 0,
                               "severity": Decimal(0), "rows": []})
for path in sorted(glob.glob("data/gdelt/*.export.CSV")):
    with open(path, encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            assert len(c) == 61
            country, added = c[53], c[59]
            if not country:
                continue
            start = f"{added[0:4]}-{added[4:6]}-{added[6:8]}T{added[8:10]}:{int(added[10:12]) // 15 * 15:02d}:00.000Z"
            w = windows[(country, start)]
            mentions = int(c[31]) if c[31] else 0
            goldstein = Decimal(c[30]) if c[30] else Decimal(0)
            weight = mentions * max(Decimal(0), -goldstein)
            w["events"] += 1
            w["mentions"] += mentions
            if c[29] in ("3", "4"):
                w["conflict"] += 1
                w["severity"] += weight
            if c[29] == "4":
                w["material"] += 1
            w["rows"].append((-weight, int(c[0])))

print("windows", len(windows))
for key in ("events", "conflict", "material", "mentions", "severity"):
    print("total", key, sum(w[key] for w in windows.values()))
for (country, start), w in sorted(windows.items(), key=lambda kv: (-kv[1]["severity"], kv[0]))[:5]:
    top = [event_id for _, event_id in sorted(w["rows"])[:3]]
    print(f'("{country}@{start}", events: {w["events"]}, conflict: {w["conflict"]}, material: {w["material"]}, '
          f'mentions: {w["mentions"]}, severity: {w["severity"]}, top: {top}),')
