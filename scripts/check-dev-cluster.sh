#!/usr/bin/env bash
# End-to-end check of `tributary dev-cluster` with kcat and the Python
# confluent-kafka client. Prints PASS/FAIL; exits non-zero on failure.
# TRIBUTARY_BIN may point at a prebuilt `tributary` binary.
set -uo pipefail
cd "$(dirname "$0")/.."

fail() { echo "FAIL: $*"; [[ -n "${CLUSTER_PID:-}" ]] && kill "$CLUSTER_PID" 2>/dev/null; exit 1; }

BIN="${TRIBUTARY_BIN:-}"
if [[ -z "$BIN" ]]; then
    timeout 900 swift build --scratch-path .build-kafka --product tributary >/tmp/check-dev-cluster-build.log 2>&1 \
        || fail "swift build failed (see /tmp/check-dev-cluster-build.log)"
    BIN="$(swift build --scratch-path .build-kafka --show-bin-path)/tributary"
fi
[[ -x "$BIN" ]] || fail "no tributary binary at $BIN"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$BIN" dev-cluster --brokers 3 --topic demo:3 >"$WORK/stdout" 2>"$WORK/stderr" &
CLUSTER_PID=$!

BOOTSTRAP=""
for _ in $(seq 100); do
    line="$(head -n 1 "$WORK/stdout" 2>/dev/null || true)"
    if [[ "$line" == bootstrap.servers=* ]]; then BOOTSTRAP="${line#bootstrap.servers=}"; break; fi
    kill -0 "$CLUSTER_PID" 2>/dev/null || fail "dev-cluster exited early: $(cat "$WORK/stderr")"
    sleep 0.1
done
[[ -n "$BOOTSTRAP" ]] || fail "no bootstrap.servers line within 10 s"
echo "dev-cluster up: bootstrap.servers=$BOOTSTRAP"

# (a) kcat: 100 keyed messages out and back.
seq 1 100 | sed 's/^\(.*\)$/key\1:value\1/' >"$WORK/in"
timeout 30 kcat -P -b "$BOOTSTRAP" -t demo -K: -l "$WORK/in" || fail "kcat produce failed"
timeout 30 kcat -C -b "$BOOTSTRAP" -t demo -e -q -f '%k:%s\n' >"$WORK/out" || fail "kcat consume failed"
sort "$WORK/in" >"$WORK/in.sorted"; sort "$WORK/out" >"$WORK/out.sorted"
cmp -s "$WORK/in.sorted" "$WORK/out.sorted" || fail "kcat read back $(wc -l <"$WORK/out") lines, not the 100 produced"
echo "kcat OK: 100 keyed messages produced and consumed"

# (b) Python confluent-kafka: 1,000 records through a consumer group of 2.
timeout 120 python3 scripts/dev_cluster_clients.py "$BOOTSTRAP" demo || fail "python client check failed"

# Clean shutdown on SIGTERM.
kill -TERM "$CLUSTER_PID"
for _ in $(seq 100); do kill -0 "$CLUSTER_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$CLUSTER_PID" 2>/dev/null; then kill -KILL "$CLUSTER_PID"; fail "dev-cluster ignored SIGTERM for 10 s"; fi
wait "$CLUSTER_PID"; rc=$?
CLUSTER_PID=""
[[ $rc -eq 0 ]] || fail "dev-cluster exited with $rc after SIGTERM: $(tail -n 5 "$WORK/stderr")"
echo "PASS: dev-cluster served kcat and confluent-kafka clients and exited cleanly"
