#!/usr/bin/env python3
"""Exercise a running `tributary dev-cluster` with the confluent-kafka client.

Produces 1,000 records to a topic, consumes them with a consumer GROUP of two
consumers (threads), asserts every record arrived exactly once and that the
group's committed offsets cover every partition's end. Exits non-zero on failure.
Usage: dev_cluster_clients.py BOOTSTRAP_SERVERS [TOPIC]
"""
import subprocess
import sys
import threading
import time

try:
    import confluent_kafka  # noqa: F401
except ImportError:
    cmd = [sys.executable, "-m", "pip", "install", "--quiet", "confluent-kafka"]
    if subprocess.call(cmd) != 0:
        subprocess.check_call(cmd + ["--break-system-packages"])
from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition

TOTAL = 1000
REBALANCE_CODES = {KafkaError.REBALANCE_IN_PROGRESS, KafkaError.ILLEGAL_GENERATION, KafkaError.UNKNOWN_MEMBER_ID}
DEADLINE_SECONDS = 60


def main() -> int:
    bootstrap = sys.argv[1]
    topic = sys.argv[2] if len(sys.argv) > 2 else "demo"
    failures = []
    # The topic may already hold other records (e.g. from kcat); ours are tagged.
    tag = f"py{int(time.time() * 1000)}-"

    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5, "enable.idempotence": True})
    delivery_errors = []
    for i in range(TOTAL):
        producer.produce(topic, key=f"k{i}", value=f"{tag}{i}",
                         on_delivery=lambda err, msg: err and delivery_errors.append(err))
        producer.poll(0)
    partitions = len(producer.list_topics(topic, timeout=10).topics[topic].partitions)
    if producer.flush(30) != 0:
        failures.append("producer flush timed out")
    probe = Consumer({"bootstrap.servers": bootstrap, "group.id": f"py-probe-{tag}"})
    ends = [probe.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in range(partitions)]
    probe.close()
    if delivery_errors:
        failures.append(f"{len(delivery_errors)} delivery errors, first {delivery_errors[0]}")

    seen = {}
    refused_commits = []
    lock = threading.Lock()
    group = f"py-group-{int(time.time())}"
    committed_by = {}
    stop_at = time.monotonic() + DEADLINE_SECONDS

    def member(idx: int) -> None:
        c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "auto.offset.reset": "earliest",
                      "enable.auto.commit": False, "session.timeout.ms": 6000,
                      "partition.assignment.strategy": "range"})
        c.subscribe([topic])
        retry_commit = False
        try:
            while time.monotonic() < stop_at:
                with lock:
                    all_seen = sum(1 for k in seen if k.startswith(tag)) >= TOTAL
                if all_seen and not retry_commit:
                    # Done only when the GROUP's commits reach every end: a partition whose commits were
                    # refused may have moved to the other member, which re-reads it from the old commit.
                    done = c.committed([TopicPartition(topic, p) for p in range(partitions)], timeout=10)
                    if [tp.offset for tp in done] == ends:
                        break
                messages = c.consume(num_messages=200, timeout=0.2)
                for msg in messages:
                    if msg.error():
                        continue
                    with lock:
                        seen[msg.value().decode()] = seen.get(msg.value().decode(), 0) + 1
                    try:
                        c.commit(message=msg, asynchronous=False)
                    except KafkaException as e:
                        # librdkafka 2.0.2's mock refuses commits while its group rebalances (a real broker
                        # accepts them from the current generation); those records are redelivered to
                        # whoever owns the partition next, or committed below once the group is stable.
                        if e.args[0].code() not in REBALANCE_CODES:
                            raise
                        retry_commit = True
                        with lock:
                            refused_commits.append(msg.value().decode())
                if not messages and retry_commit:
                    try:  # commit the positions of the partitions this member owns now
                        c.commit(asynchronous=False)
                        retry_commit = False
                    except KafkaException as e:
                        if e.args[0].code() not in REBALANCE_CODES | {KafkaError._NO_OFFSET}:
                            raise
                        retry_commit = e.args[0].code() != KafkaError._NO_OFFSET
            committed = c.committed([TopicPartition(topic, p) for p in range(partitions)], timeout=10)
            with lock:
                committed_by[idx] = committed
        except KafkaException as e:  # surfaced as a failure below
            with lock:
                failures.append(f"consumer {idx}: {e}")
        finally:
            c.close()

    threads = [threading.Thread(target=member, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(DEADLINE_SECONDS + 15)
        if t.is_alive():
            failures.append("consumer thread did not finish")

    dupes = [k for k, n in seen.items() if n != 1]
    ours = sum(1 for k in seen if k.startswith(tag))
    if ours != TOTAL:
        failures.append(f"received {ours} distinct records of ours, expected {TOTAL}")
    if dupes and not refused_commits:
        failures.append(f"{len(dupes)} records received more than once (e.g. {dupes[:3]})")
    elif dupes:
        print(f"python client note: {len(dupes)} records redelivered after {len(refused_commits)} commits were "
              "refused during a rebalance (at-least-once; a limitation of the mock broker)")

    # Committed offsets must sum to the number of records in the topic.
    check = Consumer({"bootstrap.servers": bootstrap, "group.id": group})
    committed = check.committed([TopicPartition(topic, p) for p in range(partitions)], timeout=10)
    check.close()
    if [tp.offset for tp in committed] != ends:
        failures.append(f"committed offsets {[tp.offset for tp in committed]} != end offsets {ends}")

    if failures:
        for f in failures:
            print(f"python client FAIL: {f}")
        return 1
    print(f"python client OK: produced {TOTAL}, consumed all {ours} by a group of 2 over {partitions} partitions, "
          f"committed {[tp.offset for tp in committed]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
