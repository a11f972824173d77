#!/usr/bin/env python3
"""Independent expectations for GeoRisk's end-to-end test (Tests/TributaryRuntimeTests/GeoRiskEndToEndTests.swift).

The test replays, with the connectors, the first N GDELT exports of data/demo/georisk/gdelt as back-to-back
15-minute batches from START, and the Wikipedia edits of data/demo/georisk/wikimedia shifted so the first one is at
START, then runs GeoRisk. This script computes, from the raw files and the gazetteer TSV and without any project
code, every signal GeoRisk must emit: per (country, 15-minute window) the GDELT aggregates (events, conflict
events, material conflict events, mentions, Goldstein and tone sums, severity), the Wikipedia ones (edits,
distinct editors, bytes changed, top articles), the baseline over the previous 4 windows, surge, risk
(the formula of issue 6 / topologies/GeoRisk/README.md) and the alerts. Only windows that close are expected:
window end + grace (5 min) <= the largest event time of either input.

    python3 scripts/derive-georisk-e2e-expectations.py [N] > Tests/TributaryRuntimeTests/Fixtures/georisk-e2e-expected.json
"""
import json
import math
import pathlib
import sys
import zipfile
from collections import defaultdict
from datetime import datetime, timezone

N = int(sys.argv[1]) if len(sys.argv) > 1 else 12
START = "2025-05-16T02:00:00Z"
WINDOW = 15 * 60 * 1000
GRACE = 5 * 60 * 1000
ROOT = pathlib.Path("data")


def epoch_ms(iso):
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def tokens(text):
    """Lower-cased maximal runs of letters and digits."""
    out, current = [], []
    for ch in text.lower():
        if ch.isalpha() or ch.isdigit():
            current.append(ch)
        elif current:
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out


def load_gazetteer():
    names, phrases = {}, defaultdict(list)
    header = False
    for line in (ROOT / "georisk/gazetteer.tsv").read_text(encoding="utf-8").split("\n"):
        if not line or line.startswith("#"):
            continue
        code, name, terms = line.split("\t")
        if not header:
            header = True
            continue
        if code != "-":
            names[code] = name
        for term in terms.split("|") if terms else []:
            words = tokens(term)
            phrases[words[0]].append((words, None if code == "-" else code))
    for first in phrases:
        phrases[first].sort(key=lambda p: -len(p[0]))
    return names, phrases


def countries_in(title, phrases):
    words, found, i = tokens(title), set(), 0
    while i < len(words):
        step = 1
        for phrase, code in phrases.get(words[i], []):
            if words[i:i + len(phrase)] == phrase:
                if code:
                    found.add(code)
                step = len(phrase)
                break
        i += step
    return found


def gdelt_windows():
    start = epoch_ms(START)
    stats = defaultdict(lambda: {"events": 0, "conflictEvents": 0, "materialConflictEvents": 0, "mentions": 0,
                                 "goldsteinSum": 0.0, "toneSum": 0.0, "severity": 0.0})
    files = sorted((ROOT / "demo/georisk/gdelt").glob("*.export.CSV.zip"))[:N]
    last = start
    for index, path in enumerate(files):
        window = start + index * WINDOW
        last = window
        with zipfile.ZipFile(path) as archive:
            text = archive.read(archive.namelist()[0]).decode("utf-8")
        for line in text.split("\n"):
            if not line:
                continue
            c = line.split("\t")
            country = c[53]
            if not country:
                continue
            s = stats[(country, window)]
            mentions = int(c[31]) if c[31] else 0
            goldstein = float(c[30]) if c[30] else 0.0
            s["events"] += 1
            s["mentions"] += mentions
            s["goldsteinSum"] += goldstein
            s["toneSum"] += float(c[34]) if c[34] else 0.0
            if c[29] in ("3", "4"):
                s["conflictEvents"] += 1
                s["severity"] += mentions * max(0.0, -goldstein)
            if c[29] == "4":
                s["materialConflictEvents"] += 1
    return stats, last


def wiki_windows(phrases):
    lines = (ROOT / "demo/georisk/wikimedia/enwiki-20150912-wikiticker.jsonl").read_text(encoding="utf-8").split("\n")
    events = [json.loads(line) for line in lines if line]
    shift = epoch_ms(START) - epoch_ms(events[0]["meta"]["dt"])
    stats = defaultdict(lambda: {"edits": 0, "editors": set(), "titles": defaultdict(int)})
    last = 0
    for event in events:
        time = epoch_ms(event["meta"]["dt"]) + shift
        last = max(last, time)
        if event["type"] not in ("edit", "new") or event["namespace"] != 0 or event["bot"]:
            continue
        for country in countries_in(event["title"], phrases):
            s = stats[(country, time // WINDOW * WINDOW)]
            s["edits"] += 1
            s["editors"].add(event["user"])
            s["titles"][event["title"]] += 1
    return stats, last


def main():
    names, phrases = load_gazetteer()
    gdelt, gdelt_last = gdelt_windows()
    wiki, wiki_last = wiki_windows(phrases)
    stream_time = max(gdelt_last, wiki_last)
    keys = sorted(set(gdelt) | set(wiki), key=lambda k: (k[1], k[0]))
    closed = [k for k in keys if k[1] + WINDOW + GRACE <= stream_time]
    edits = {k: wiki[k]["edits"] for k in wiki}
    risks = {}
    signals, alerts = [], []
    for country, start in closed:
        g = gdelt.get((country, start))
        w = wiki.get((country, start))
        events = g["events"] if g else 0
        tone_mean = g["toneSum"] / events if events else 0.0
        severity = g["severity"] if g else 0.0
        count = w["edits"] if w else 0
        previous = [edits.get((country, start - back * WINDOW), 0) for back in (4, 3, 2, 1)]
        baseline = sum(previous) / 4
        surge = (count + 1) / (baseline + 1)
        risk = math.log2(1 + severity) * (1 + max(0.0, -tone_mean) / 10) + 2 * math.log2(max(surge, 1))
        risks[(country, start)] = risk
        signal = {
            "country": country, "name": names.get(country), "startMs": start, "baseline": baseline,
            "surge": surge, "risk": risk, "toneMean": tone_mean, "previousEdits": previous,
            "gdelt": None if g is None else dict(g),
            "wiki": None if w is None else {
                "edits": w["edits"], "editors": len(w["editors"]),
                "topArticles": [t for t, _ in sorted(w["titles"].items(), key=lambda kv: (-kv[1], kv[0]))[:3]],
            },
        }
        signals.append(signal)
        previous_risk = risks.get((country, start - WINDOW), 0.0)
        if risk >= 5 and risk >= 3 * previous_risk:
            alerts.append({"country": country, "startMs": start, "risk": risk, "previousRisk": previous_risk})
    json.dump({"gdeltFiles": N, "start": START, "signals": signals, "alerts": alerts}, sys.stdout, separators=(",", ":"),
              sort_keys=True)
    print()


if __name__ == "__main__":
    main()
