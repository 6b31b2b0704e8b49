#!/usr/bin/env python3
"""A loopback tile server for the tile basemap tests (Python 3 standard library only).

    tile_server.py --root DIR [--port 0] [--port-file FILE] [--log FILE]

Binds 127.0.0.1 (port 0: one the system picks), writes the port to --port-file once listening (whole or not at
all), and serves the files under DIR over HTTP/1.1 keep-alive, every answer with a Content-Length:
  GET/HEAD /<path>               200, the file, with a strong ETag (hash of the content), Last-Modified,
                                 Cache-Control: max-age=60 and a Content-Type from the file's extension;
                                 404 when there is no such file
  If-None-Match / If-Modified-Since matching the file   304, no body
Fault injection, by path prefix (prefixes combine: /slow/1/flaky/2/a.png):
  /status/<code>/<path>          always that status (e.g. /status/500/a.png, /status/404/a.png)
  /flaky/<N>/<path>              the first N requests for each such path get 503, later ones the file
  /slow/<seconds>/<path>         sleeps before answering
  /truncated/<path>              announces the whole Content-Length, sends half the bytes and closes
  /redirect/<path>               302 to /<path>
Introspection (not counted):
  /count                         JSON {"requests": {path: n}, "userAgents": [...], "maxConcurrent": {host: n},
                                 "maxConcurrentAll": n, "inFlight": n, "connections": n}; paths include their
                                 prefixes, not the query; host is the Host header the client sent (what a client's
                                 per-host limit counts); connections counts the TCP connections accepted
  /reset                         forgets all counts (and the flaky counters)
--log gets one line per request: "<client> <method> <path+query> <status> <user-agent>".
Exits cleanly on SIGTERM or SIGINT.
"""
import argparse
import email.utils
import hashlib
import http.server
import json
import mimetypes
import os
import signal
import sys
import threading
import time


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.requests = {}
        self.agents = set()
        self.in_flight = {}
        self.max_in_flight = {}
        self.all_in_flight = 0
        self.max_all = 0
        self.flaky = {}
        self.connections = 0


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stall
    server_version = "PlanAtlasTileServer/1"

    def setup(self):
        super().setup()
        state = self.server.state
        with state.lock:
            state.connections += 1

    def log_message(self, *args):  # the --log file gets our own lines
        pass

    def log_line(self, status):
        log = self.server.log
        if log is None:
            return
        line = "%s %s %s %d %s\n" % (self.client_address[0], self.command, self.path, status,
                                     self.headers.get("User-Agent", "-"))
        with self.server.log_lock:
            log.write(line)
            log.flush()

    def do_HEAD(self):
        self.handle_request(head=True)

    def do_GET(self):
        self.handle_request(head=False)

    def handle_request(self, head):
        path = self.path.split("?", 1)[0]
        if path in ("/count", "/reset"):
            self.introspect(path)
            return
        state = self.server.state
        host = self.headers.get("Host", "")
        with state.lock:
            state.requests[path] = state.requests.get(path, 0) + 1
            state.agents.add(self.headers.get("User-Agent", ""))
            n = state.in_flight.get(host, 0) + 1
            state.in_flight[host] = n
            state.max_in_flight[host] = max(state.max_in_flight.get(host, 0), n)
            state.all_in_flight += 1
            state.max_all = max(state.max_all, state.all_in_flight)
        try:
            self.serve(path, head)
        finally:
            with state.lock:
                state.in_flight[host] -= 1
                state.all_in_flight -= 1

    def introspect(self, path):
        state = self.server.state
        with state.lock:
            if path == "/reset":
                state.reset()
                body = b"{}"
            else:
                body = json.dumps({
                    "requests": state.requests,
                    "userAgents": sorted(state.agents),
                    "maxConcurrent": state.max_in_flight,
                    "maxConcurrentAll": state.max_all,
                    "inFlight": state.all_in_flight,
                    "connections": state.connections,
                }, sort_keys=True).encode()
        self.send(200, body, "application/json", head=self.command == "HEAD")

    def send(self, status, body, content_type="text/plain", head=False, extra=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if not head:
            self.wfile.write(body)
        self.log_line(status)

    def serve(self, path, head):
        full = path
        truncated = False
        parts = path.lstrip("/").split("/")
        while len(parts) >= 2:
            if parts[0] == "status" and len(parts) >= 3 and parts[1].isdigit():
                code = int(parts[1])
                self.send(code, ("HTTP %d from the test server\n" % code).encode(), head=head)
                return
            if parts[0] == "flaky" and len(parts) >= 3 and parts[1].isdigit():
                state = self.server.state
                with state.lock:
                    seen = state.flaky.get(full, 0)
                    state.flaky[full] = seen + 1
                if seen < int(parts[1]):
                    self.send(503, b"flaky: try again\n", head=head)
                    return
                parts = parts[2:]
            elif parts[0] == "slow" and len(parts) >= 3:
                try:
                    delay = float(parts[1])
                except ValueError:
                    break
                time.sleep(max(0.0, delay))
                parts = parts[2:]
            elif parts[0] == "redirect":
                target = "/" + "/".join(parts[1:])
                self.send(302, b"moved\n", head=head, extra={"Location": target})
                return
            elif parts[0] == "truncated":
                truncated = True
                parts = parts[1:]
            else:
                break
        local = self.resolve("/".join(parts))
        if local is None:
            self.send(404, b"no such file\n", head=head)
            return
        with open(local, "rb") as f:
            data = f.read()
        etag = '"%s"' % hashlib.sha1(data).hexdigest()
        mtime = int(os.stat(local).st_mtime)
        validators = {
            "ETag": etag,
            "Last-Modified": email.utils.formatdate(mtime, usegmt=True),
            "Cache-Control": "max-age=60",
        }
        ctype = mimetypes.guess_type(local)[0] or "application/octet-stream"
        if self.not_modified(etag, mtime):
            self.send_response(304)
            # The length the 200 would have had (RFC 9110 8.6); a 304 never has a body.
            self.send_header("Content-Length", str(len(data)))
            for k, v in validators.items():
                self.send_header(k, v)
            self.end_headers()
            self.log_line(304)
            return
        if truncated and not head:
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for k, v in validators.items():
                self.send_header(k, v)
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data[:len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.log_line(200)
            return
        self.send(200, data, ctype, head=head, extra=validators)

    def not_modified(self, etag, mtime):
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = [t.strip() for t in inm.split(",")]
            return "*" in tags or etag in tags or ("W/" + etag) in tags
        ims = self.headers.get("If-Modified-Since")
        if ims is not None:
            try:
                when = email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError, IndexError):
                return False
            return mtime <= when
        return False

    def resolve(self, rel):
        root = self.server.root
        local = os.path.normpath(os.path.join(root, rel))
        if os.path.commonpath([local, root]) != root or not os.path.isfile(local):
            return None
        return local


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def handle_error(self, request, client_address):
        # A client that gave up (timeout, cancel) closes while a slow answer is written: expected, not news.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser(description="Loopback tile server for tests")
    ap.add_argument("--root", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--log")
    args = ap.parse_args()

    server = Server(("127.0.0.1", args.port), Handler)
    server.root = os.path.realpath(args.root)
    server.state = State()
    server.log = open(args.log, "a", encoding="utf-8") if args.log else None
    server.log_lock = threading.Lock()

    def stop(signum, frame):
        # shutdown() waits for serve_forever, which runs in this very thread: ask from another one.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    port = server.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp-%d" % os.getpid()
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.replace(tmp, args.port_file)
    else:
        print(port, flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()
        if server.log is not None:
            server.log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
