#!/usr/bin/env python3
"""Independent derivation of what the WikiEdits topology should output for the recorded fixtures.

Usage (from the repository root):

    python3 scripts/derive-wikiedits-expectations.py [FILE.jsonl ...]

Without arguments it reads every `*.jsonl` under `Tests/TopologyTests/Fixtures/` (recursively). It prints one
JSON object per file (and a combined `editgroups-small` entry) with:

* `total`: lines (events) in the file;
* `kept`: events WikiEdits keeps: type in {edit, new}, namespace == 0, bot false, meta.domain != "canary";
* `dropped`: dropped events by the FIRST reason that applies, checked in this order:
  `type` (log, categorize, ...), `namespace` (non-article), `bot`, `canary`;
* `kept_per_wiki`: kept events per `wiki`;
* `kept_ip_users`: kept events whose `user` is an IP address (`ipaddress.ip_address` accepts it);
* `byte_delta_sum`: sum over kept events of `length.new - (length.old or 0)` (events without `length.new`
  contribute nothing);
* `first_kept`: the first three kept events as (wiki, meta.dt, epoch milliseconds of meta.dt via `datetime`);
* `last_kept`: the same for the last kept event;
* `max_event_time_ms`: the largest epoch milliseconds of meta.dt over ALL events (kept or not): the stream
  time a single task reaches after reading the file;
* `ip_kept`: kept events by IP addresses as (meta.id, meta.dt, epoch milliseconds, byte delta).
* `final_minutes`: the per-wiki 1-minute counts WikiEdits emits as final (grace 30 s), as "wiki@startMs": count,
  simulated on the kept events in file order: the counting task's stream time is the largest kept event time
  so far; an event whose minute has end + 30 s <= that time (itself included) is late and not counted; a minute
  is emitted once its end + 30 s <= the stream time after the last kept event;
* `late_kept`: kept events dropped as late by that rule.

Only the standard library is used (json, ipaddress, datetime); nothing is shared with the Swift code.
"""

import datetime
import ipaddress
import json
import pathlib
import sys
from collections import Counter

KEPT_TYPES = {"edit", "new"}


def is_ip(user):
    try:
        ipaddress.ip_address(user)
        return True
    except ValueError:
        return False


def epoch_ms(dt):
    # Python's fromisoformat accepts 'Z' (3.11+), '+00:00' and fractional seconds.
    parsed = datetime.datetime.fromisoformat(dt.replace("Z", "+00:00"))
    delta = parsed - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    return delta.days * 86_400_000 + delta.seconds * 1000 + delta.microseconds // 1000


def drop_reason(event):
    if event["type"] not in KEPT_TYPES:
        return "type"
    if event["namespace"] != 0:
        return "namespace"
    if event["bot"]:
        return "bot"
    if event["meta"].get("domain") == "canary":
        return "canary"
    return None


def derive(lines):
    total = 0
    kept = 0
    dropped = Counter()
    per_wiki = Counter()
    ip_users = 0
    delta_sum = 0
    first = []
    last = None
    ip_kept = []
    max_time = None
    stream_time = None
    minutes = Counter()
    late = 0
    for line in lines:
        if not line.strip():
            continue
        total += 1
        event = json.loads(line)
        event_time = epoch_ms(event["meta"]["dt"])
        max_time = event_time if max_time is None else max(max_time, event_time)
        reason = drop_reason(event)
        if reason is not None:
            dropped[reason] += 1
            continue
        kept += 1
        per_wiki[event["wiki"]] += 1
        stream_time = event_time if stream_time is None else max(stream_time, event_time)
        start = event_time - event_time % 60_000
        if start + 60_000 + 30_000 <= stream_time:
            late += 1
        else:
            minutes[(event["wiki"], start)] += 1
        length = event.get("length") or {}
        delta = None
        if length.get("new") is not None:
            delta = length["new"] - (length.get("old") or 0)
            delta_sum += delta
        dt = event["meta"]["dt"]
        if is_ip(event["user"]):
            ip_users += 1
            ip_kept.append([event["meta"].get("id"), dt, epoch_ms(dt), delta])
        if len(first) < 3:
            first.append([event["wiki"], dt, epoch_ms(dt)])
        last = [event["wiki"], dt, epoch_ms(dt)]
    return {
        "total": total,
        "kept": kept,
        "dropped": dict(sorted(dropped.items())),
        "kept_per_wiki": dict(sorted(per_wiki.items())),
        "kept_ip_users": ip_users,
        "byte_delta_sum": delta_sum,
        "first_kept": first,
        "last_kept": last,
        "ip_kept": ip_kept,
        "max_event_time_ms": max_time,
        "final_minutes": {
            f"{wiki}@{start}": count
            for (wiki, start), count in sorted(minutes.items())
            if stream_time is not None and start + 60_000 + 30_000 <= stream_time
        },
        "late_kept": late,
    }


def main(argv):
    root = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "TopologyTests" / "Fixtures"
    paths = [pathlib.Path(p) for p in argv] or sorted(root.rglob("*.jsonl"))
    result = {}
    small_lines = []
    for path in paths:
        lines = path.read_text(encoding="utf-8").splitlines()
        name = str(path.relative_to(root)) if path.is_relative_to(root) else path.name
        result[name] = derive(lines)
        if path.parent.name == "editgroups-small":
            small_lines += lines
    if small_lines:
        result["editgroups-small (all files, in name order)"] = derive(small_lines)
    print(json.dumps(result, indent=2, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1:])
