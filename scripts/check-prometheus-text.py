#!/usr/bin/env python3
"""Checks a /metrics text (Prometheus exposition format 0.0.4) as Tributary exports it.

Usage:
  scripts/check-prometheus-text.py METRICS.txt [--expect-zero-lag] [--require NAME[,NAME...]]
                                   [--dashboard docs/grafana/tributary-dashboard.json]
  curl -s http://127.0.0.1:8080/metrics | scripts/check-prometheus-text.py -

Parses the text strictly with the standard library only (names, labels and their escapes, values, # TYPE and
# HELP lines, one TYPE per family before its samples, no duplicate series, histogram buckets cumulative with
+Inf equal to _count and a _sum), and again with prometheus_client's parser when that package is installed.
--expect-zero-lag: every tributary_consumer_lag_records sample is 0, and there is at least one.
--require: these metric families must be present.
--dashboard: every tributary_* metric a panel query of the Grafana dashboard uses must be present.
Exit status 0 when every check passes; otherwise 1, with one line per problem on stderr.
"""

import argparse
import json
import math
import re
import sys

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")


class ParseError(Exception):
    pass


def parse_labels(text, pos, line_number):
    """Parses `{a="x",b="y"}` starting at text[pos] == '{'; returns (labels, position after '}')."""
    labels = {}
    pos += 1
    while True:
        if pos < len(text) and text[pos] == "}":
            return labels, pos + 1
        match = LABEL_NAME.match(text, pos)
        if not match:
            raise ParseError(f"line {line_number}: bad label name at column {pos + 1}")
        name = match.group(0)
        pos = match.end()
        if text[pos:pos + 2] != '="':
            raise ParseError(f"line {line_number}: expected =\" after label {name}")
        pos += 2
        value = []
        while True:
            if pos >= len(text):
                raise ParseError(f"line {line_number}: unterminated value of label {name}")
            char = text[pos]
            if char == "\\":
                escaped = text[pos + 1:pos + 2]
                if escaped not in ("\\", '"', "n"):
                    raise ParseError(f"line {line_number}: bad escape \\{escaped} in label {name}")
                value.append("\n" if escaped == "n" else escaped)
                pos += 2
            elif char == '"':
                pos += 1
                break
            else:
                value.append(char)
                pos += 1
        if name in labels:
            raise ParseError(f"line {line_number}: label {name} given twice")
        labels[name] = "".join(value)
        if pos < len(text) and text[pos] == ",":
            pos += 1
        elif pos < len(text) and text[pos] == "}":
            continue
        else:
            raise ParseError(f"line {line_number}: expected , or }} after label {name}")


def parse_value(text, line_number):
    if text in ("+Inf", "Inf"):
        return math.inf
    if text == "-Inf":
        return -math.inf
    if text == "NaN":
        return math.nan
    try:
        return float(text)
    except ValueError:
        raise ParseError(f"line {line_number}: bad value {text!r}") from None


def family_of(sample_name, types):
    if sample_name in types:
        return sample_name
    for suffix in HISTOGRAM_SUFFIXES:
        if sample_name.endswith(suffix) and types.get(sample_name[: -len(suffix)]) in ("histogram", "summary"):
            return sample_name[: -len(suffix)]
    return None


def parse(text):
    """Returns (types: {family: type}, samples: [(name, labels, value)]); raises ParseError."""
    types = {}
    seen_samples = set()
    samples = []
    families_with_samples = set()
    if text and not text.endswith("\n"):
        raise ParseError("the text must end with a newline")
    for line_number, line in enumerate(text.split("\n")[:-1], start=1):
        if not line.strip():
            continue
        if line.startswith("#"):
            parts = line.split(None, 3)
            if len(parts) >= 2 and parts[1] == "TYPE":
                if len(parts) != 4 or not NAME.fullmatch(parts[2]) or parts[3] not in TYPES:
                    raise ParseError(f"line {line_number}: bad TYPE line {line!r}")
                if parts[2] in types:
                    raise ParseError(f"line {line_number}: second TYPE line for {parts[2]}")
                if parts[2] in families_with_samples:
                    raise ParseError(f"line {line_number}: TYPE of {parts[2]} after its samples")
                types[parts[2]] = parts[3]
            elif len(parts) >= 2 and parts[1] == "HELP":
                if len(parts) < 3 or not NAME.fullmatch(parts[2]):
                    raise ParseError(f"line {line_number}: bad HELP line {line!r}")
            continue
        match = NAME.match(line)
        if not match:
            raise ParseError(f"line {line_number}: bad metric name in {line!r}")
        name = match.group(0)
        pos = match.end()
        labels = {}
        if pos < len(line) and line[pos] == "{":
            labels, pos = parse_labels(line, pos, line_number)
        rest = line[pos:].split()
        if len(rest) not in (1, 2) or line[pos:pos + 1] != " ":
            raise ParseError(f"line {line_number}: expected ' VALUE [TIMESTAMP]' after the labels in {line!r}")
        value = parse_value(rest[0], line_number)
        if len(rest) == 2 and not re.fullmatch(r"-?[0-9]+", rest[1]):
            raise ParseError(f"line {line_number}: bad timestamp {rest[1]!r}")
        key = (name, tuple(sorted(labels.items())))
        if key in seen_samples:
            raise ParseError(f"line {line_number}: duplicate series {name}{labels}")
        seen_samples.add(key)
        family = family_of(name, types) or name
        families_with_samples.add(family)
        samples.append((name, labels, value))
    return types, samples


def check_histograms(types, samples):
    problems = []
    for family, kind in types.items():
        if kind != "histogram":
            continue
        series = {}
        for name, labels, value in samples:
            if family_of(name, types) != family:
                continue
            base = tuple(sorted((k, v) for k, v in labels.items() if k != "le"))
            entry = series.setdefault(base, {"buckets": [], "sum": None, "count": None})
            if name == family + "_bucket":
                if "le" not in labels:
                    problems.append(f"{family}_bucket without le label")
                    continue
                entry["buckets"].append((parse_value(labels["le"], 0), value))
            elif name == family + "_sum":
                entry["sum"] = value
            elif name == family + "_count":
                entry["count"] = value
        for base, entry in series.items():
            where = f"{family}{dict(base)}"
            buckets = sorted(entry["buckets"])
            if not buckets or buckets[-1][0] != math.inf:
                problems.append(f"{where}: no le=\"+Inf\" bucket")
                continue
            counts = [count for _, count in buckets]
            if any(later < earlier for earlier, later in zip(counts, counts[1:])):
                problems.append(f"{where}: bucket counts are not cumulative")
            if entry["count"] is None or entry["sum"] is None:
                problems.append(f"{where}: missing _count or _sum")
            elif entry["count"] != buckets[-1][1]:
                problems.append(f"{where}: _count {entry['count']} differs from the +Inf bucket {buckets[-1][1]}")
    return problems


def check_with_prometheus_client(text):
    try:
        from prometheus_client.parser import text_string_to_metric_families
    except ImportError:
        return []
    try:
        for _ in text_string_to_metric_families(text):
            pass
    except Exception as error:  # the parser raises ValueError and others
        return [f"prometheus_client's parser rejects the text: {error}"]
    return []


def dashboard_metrics(path):
    with open(path, encoding="utf-8") as file:
        dashboard = json.load(file)
    names = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("expr", "query", "definition") and isinstance(value, str):
                    names.update(re.findall(r"\btributary_[a-zA-Z0-9_]+", value))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(dashboard)
    return dashboard, names


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", help="the /metrics text, or - for stdin")
    parser.add_argument("--expect-zero-lag", action="store_true")
    parser.add_argument("--require", default="")
    parser.add_argument("--dashboard")
    args = parser.parse_args()
    text = sys.stdin.read() if args.file == "-" else open(args.file, encoding="utf-8").read()
    problems = []
    try:
        types, samples = parse(text)
    except ParseError as error:
        print(f"not valid Prometheus text: {error}", file=sys.stderr)
        return 1
    problems += check_histograms(types, samples)
    problems += check_with_prometheus_client(text)
    names = {name for name, _, _ in samples}
    families = {family_of(name, types) or name for name in names}
    for name in sorted(families):
        if not name.startswith("tributary_"):
            problems.append(f"metric {name} is not named tributary_...")
    for name, labels, _ in samples:
        if "application" not in labels:
            problems.append(f"{name}{labels} has no application label")
    for name in filter(None, args.require.split(",")):
        if name not in families:
            problems.append(f"required metric {name} is missing")
    if args.expect_zero_lag:
        lags = [(labels, value) for name, labels, value in samples if name == "tributary_consumer_lag_records"]
        if not lags:
            problems.append("no tributary_consumer_lag_records series")
        for labels, value in lags:
            if value != 0:
                problems.append(f"lag of {labels.get('topic')}-{labels.get('partition')} is {value}, expected 0")
    if args.dashboard:
        dashboard, used = dashboard_metrics(args.dashboard)
        if not used:
            problems.append(f"{args.dashboard} uses no tributary_ metric")
        for name in sorted(used):
            if name not in names and name not in families:
                problems.append(f"{args.dashboard} uses {name}, which the metrics text does not contain")
        if not isinstance(dashboard.get("panels"), list) or not dashboard.get("title"):
            problems.append(f"{args.dashboard} is not a Grafana dashboard (needs title and panels)")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"ok: {len(families)} metric families, {len(samples)} samples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
