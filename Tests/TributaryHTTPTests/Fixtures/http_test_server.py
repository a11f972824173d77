"""Loopback HTTP server for TributaryHTTPTests.

Listens on 127.0.0.1 on an ephemeral port (with TLS and the given self-signed certificate when run as
`http_test_server.py --tls CERT KEY`), prints the port as the first line of stdout, and serves until
its stdin closes (the test process ended or stopped it) or 120 s pass, whichever is first.

Routes:
  /ok                      200, fixed text body with Content-Length
  /bytes?n=N               200, N bytes (i % 251)
  /status/CODE             CODE with a short text body
  /redirect                302 to /ok
  /redirect-loop           302 to itself
  /echo                    200, the request headers as a JSON object
  /sse?count=N&delay=S&hold=S
                           200 text/event-stream, chunked: N events "id: i / data: event i", one chunk each,
                           S seconds apart; after the last, waits `hold` seconds before ending the body
  /sse-forever?interval=S  an event every S seconds until the client goes away
  /stall                   200 headers (chunked), then nothing for 60 s
  /drop                    200 text/event-stream, chunked: one event, then the connection closes without the
                           final chunk (a dropped stream)
"""
import json
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def send_body(self, status, body, content_type="text/plain", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def start_chunked(self, content_type):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def do_GET(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        path = url.path
        try:
            if path == "/ok":
                self.send_body(200, b"hello, tributary\n")
            elif path == "/bytes":
                n = int(query.get("n", "0"))
                self.send_body(200, bytes(i % 251 for i in range(n)), "application/octet-stream")
            elif path.startswith("/status/"):
                code = int(path.rsplit("/", 1)[1])
                self.send_body(code, b"error body %d" % code)
            elif path == "/redirect":
                self.send_body(302, b"moved", extra=[("Location", "/ok")])
            elif path == "/redirect-loop":
                self.send_body(302, b"again", extra=[("Location", "/redirect-loop")])
            elif path == "/echo":
                body = json.dumps({k: v for k, v in self.headers.items()}).encode()
                self.send_body(200, body, "application/json")
            elif path == "/sse":
                count = int(query.get("count", "3"))
                delay = float(query.get("delay", "0"))
                hold = float(query.get("hold", "0"))
                self.start_chunked("text/event-stream")
                for i in range(1, count + 1):
                    if i > 1 and delay:
                        time.sleep(delay)
                    self.chunk(b"id: %d\ndata: event %d\n\n" % (i, i))
                if hold:
                    time.sleep(hold)
                self.chunk(b"")
            elif path == "/sse-forever":
                interval = float(query.get("interval", "0.05"))
                self.start_chunked("text/event-stream")
                i = 0
                while True:
                    i += 1
                    self.chunk(b"id: %d\ndata: event %d\n\n" % (i, i))
                    time.sleep(interval)
            elif path == "/drop":
                self.start_chunked("text/event-stream")
                self.chunk(b"id: 1\ndata: event 1\n\n")
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
            elif path == "/stall":
                self.start_chunked("text/event-stream")
                time.sleep(60)
            else:
                self.send_body(404, b"no such route")
        except (BrokenPipeError, ConnectionResetError):
            pass


def exit_when_stdin_closes():
    sys.stdin.buffer.read()
    os._exit(0)


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if len(sys.argv) == 4 and sys.argv[1] == "--tls":
        import ssl
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[2], sys.argv[3])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    threading.Timer(120, lambda: os._exit(0)).start()
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
