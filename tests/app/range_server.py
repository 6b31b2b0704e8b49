#!/usr/bin/env python3
"""A loopback HTTP server for the /vsicurl/ tests: serves the files of one folder and honours Range requests,
which Python's http.server does not.

    range_server.py ROOT LOG

Binds 127.0.0.1 on a free port and prints the port on stdout (one line), then serves until killed.
  GET  with "Range: bytes=A-B" (also "A-" and "-N")  206 Partial Content with Content-Range
  GET  with several ranges "bytes=A-B,C-D"           206 multipart/byteranges
  GET  without Range                                  200 and the whole file
  HEAD                                                Content-Length and Accept-Ranges: bytes, no body
  a missing file or a folder                          404
After every request LOG holds a JSON object: {"/name": {"requests": R, "bytes": B}, ...}, where B counts the
body bytes sent for that file (headers excluded); "_all" sums every file.
"""
import http.server
import json
import os
import re
import sys
import threading

RANGE = re.compile(r"^\s*(\d*)\s*-\s*(\d*)\s*$")


def parse_ranges(header, size):
    """[(first, last)] inclusive, or None when the header is malformed, or [] when nothing is satisfiable."""
    if not header.startswith("bytes="):
        return None
    out = []
    for spec in header[len("bytes="):].split(","):
        m = RANGE.match(spec)
        if not m or (m.group(1) == "" and m.group(2) == ""):
            return None
        if m.group(1) == "":  # suffix: the last N bytes
            n = int(m.group(2))
            if n > 0 and size > 0:
                out.append((max(0, size - n), size - 1))
            continue
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) else size - 1
        if first > last and m.group(2):
            return None
        if first < size:
            out.append((first, min(last, size - 1)))
    return out


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep the test output for the test
        pass

    def resolve(self):
        name = self.path.split("?", 1)[0]
        local = os.path.normpath(os.path.join(self.server.root, name.lstrip("/")))
        if os.path.commonpath([local, self.server.root]) != self.server.root or not os.path.isfile(local):
            return name, None
        return name, local

    def count(self, name, sent):
        with self.server.lock:
            for key in (name, "_all"):
                e = self.server.stats.setdefault(key, {"requests": 0, "bytes": 0})
                e["requests"] += 1
                e["bytes"] += sent
            tmp = self.server.log + ".tmp"
            with open(tmp, "w") as f:
                json.dump(self.server.stats, f, indent=1, sort_keys=True)
            os.replace(tmp, self.server.log)

    def not_found(self, name, body):
        text = b"not found\n"
        self.send_response(404)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        if body:
            self.wfile.write(text)
        self.count(name, 0)

    def do_HEAD(self):
        self.respond(body=False)

    def do_GET(self):
        self.respond(body=True)

    def respond(self, body):
        name, local = self.resolve()
        if local is None:
            return self.not_found(name, body)
        size = os.path.getsize(local)
        header = self.headers.get("Range")
        ranges = parse_ranges(header, size) if header else None
        if header and ranges == []:
            self.send_response(416)
            self.send_header("Content-Range", "bytes */%d" % size)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return self.count(name, 0)
        with open(local, "rb") as f:
            if not ranges:  # no Range, or one we do not understand: the whole file
                self.send_response(200)
                self.send_header("Accept-Ranges", "bytes")
                self.send_header("Content-Length", str(size))
                self.end_headers()
                data = f.read() if body else b""
            elif len(ranges) == 1:
                first, last = ranges[0]
                f.seek(first)
                data = f.read(last - first + 1) if body else b""
                self.send_response(206)
                self.send_header("Accept-Ranges", "bytes")
                self.send_header("Content-Range", "bytes %d-%d/%d" % (first, last, size))
                self.send_header("Content-Length", str(last - first + 1))
                self.end_headers()
            else:
                boundary = "planatlas-range-boundary"
                parts = []
                for first, last in ranges:
                    f.seek(first)
                    parts.append(b"--%s\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes %d-%d/%d"
                                 b"\r\n\r\n" % (boundary.encode(), first, last, size))
                    parts.append(f.read(last - first + 1))
                    parts.append(b"\r\n")
                parts.append(b"--%s--\r\n" % boundary.encode())
                payload = b"".join(parts)
                self.send_response(206)
                self.send_header("Accept-Ranges", "bytes")
                self.send_header("Content-Type", "multipart/byteranges; boundary=" + boundary)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                data = payload if body else b""
        if body:
            self.wfile.write(data)
        self.count(name, len(data))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.root = os.path.realpath(sys.argv[1])
    server.log = sys.argv[2]
    server.stats = {}
    server.lock = threading.Lock()
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
