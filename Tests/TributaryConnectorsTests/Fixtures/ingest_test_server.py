"""Loopback server for TributaryConnectorsTests: a Wikimedia-like SSE stream and a GDELT-like file tree.

Usage: ingest_test_server.py [--events FILE.jsonl] [--drop-after N] [--drop-connections K] [--fail-first F]
                             [--stall-first S] [--dir DIR]

Listens on 127.0.0.1 only, on an ephemeral port; prints the port as the first line of stdout; serves until its
stdin closes (the test process ended or stopped it) or 120 s pass, whichever is first.

Routes:
  /v2/stream/recentchange  text/event-stream, chunked: the events of FILE.jsonl in order, each as
                           "event: message / id: [{"topic":T,"partition":P,"offset":O}] / data: <line>" (the id
                           is the event's meta position, as Wikimedia's ids are). With a Last-Event-ID header the
                           stream resumes after that offset. Each of the first K connections is dropped after
                           N events: half of the next event is sent, then the socket is shut down without the
                           final chunk. Otherwise, after the last event the stream stays open, sending a
                           ": keepalive" comment every 0.2 s. The first F connections get HTTP 503; the next S
                           connections get the stream's headers and then nothing for 30 s (a stalled stream).
  /log                     JSON list, one entry per stream connection: its Last-Event-ID header, or null
  /paths                   JSON list, one entry per stream connection: the request path with its query
  /requests                JSON object: request count per path
  /<name>                  the file DIR/<name> (read at request time, so a test may rewrite it), else 404
"""
import argparse
import json
import os
import socket
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARGS = None
EVENTS = []
LOCK = threading.Lock()
LAST_EVENT_IDS = []
PATHS = []
REQUESTS = Counter()


def event_id(event):
    meta = event["meta"]
    return json.dumps([{"topic": meta["topic"], "partition": meta["partition"], "offset": meta["offset"]}],
                      separators=(",", ":"))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def send_body(self, status, body, content_type="text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def stream(self):
        last = self.headers.get("Last-Event-ID")
        with LOCK:
            LAST_EVENT_IDS.append(last)
            PATHS.append(self.path)
            connection = len(LAST_EVENT_IDS)
        if connection <= ARGS.fail_first:
            self.send_body(503, b"overloaded, try again")
            return
        if connection <= ARGS.fail_first + ARGS.stall_first:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.flush()
            time.sleep(30)
            return
        resume_after = None
        if last:
            position = json.loads(last)[0]
            resume_after = (position["topic"], position["partition"], position["offset"])
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        sent = 0
        for raw, event in EVENTS:
            meta = event["meta"]
            if resume_after and (meta["topic"], meta["partition"]) == resume_after[:2] and meta["offset"] <= resume_after[2]:
                continue
            block = b"event: message\nid: " + event_id(event).encode() + b"\ndata: " + raw + b"\n\n"
            if connection <= ARGS.drop_connections and sent == ARGS.drop_after:
                self.chunk(block[: len(block) // 2])
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.chunk(block)
            sent += 1
        while True:
            time.sleep(0.2)
            self.chunk(b": keepalive\n")

    def do_GET(self):
        path = self.path.split("?")[0]
        with LOCK:
            REQUESTS[path] += 1
        try:
            if path == "/v2/stream/recentchange":
                self.stream()
            elif path == "/log":
                with LOCK:
                    self.send_body(200, json.dumps(LAST_EVENT_IDS).encode(), "application/json")
            elif path == "/paths":
                with LOCK:
                    self.send_body(200, json.dumps(PATHS).encode(), "application/json")
            elif path == "/requests":
                with LOCK:
                    self.send_body(200, json.dumps(REQUESTS).encode(), "application/json")
            else:
                name = os.path.basename(path)
                file = os.path.join(ARGS.dir or "/nonexistent", name)
                if name and os.path.isfile(file):
                    with open(file, "rb") as f:
                        self.send_body(200, f.read(), "application/octet-stream")
                else:
                    self.send_body(404, b"no such file")
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass


def exit_when_stdin_closes():
    sys.stdin.buffer.read()
    os._exit(0)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--events")
    parser.add_argument("--drop-after", type=int, default=0)
    parser.add_argument("--drop-connections", type=int, default=0)
    parser.add_argument("--fail-first", type=int, default=0)
    parser.add_argument("--stall-first", type=int, default=0)
    parser.add_argument("--dir")
    ARGS = parser.parse_args()
    if ARGS.events:
        with open(ARGS.events, "rb") as f:
            for line in f:
                line = line.rstrip(b"\n")
                if line:
                    EVENTS.append((line, json.loads(line)))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    threading.Timer(120, lambda: os._exit(0)).start()
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
