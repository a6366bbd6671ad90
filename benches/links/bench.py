#!/usr/bin/env python3
"""Times `guidepress links` and lychee on the same locally served URLs.

Serves N unique URLs from H loopback hosts (127.0.0.1 .. 127.0.0.H, one
server each) with a fixed delay per response, cites each URL C times from
generated guides, and runs each tool with the same global and per-host
limits. Requests are counted from the servers' own log. Loopback only.
"""

import argparse
import glob
import http.server
import os
import shutil
import socketserver
import subprocess
import sys
import threading
import time


class Log:
    """Requests received, by path, across all servers."""

    def __init__(self):
        self.lock = threading.Lock()
        self.total = 0
        self.paths = {}

    def add(self, path):
        with self.lock:
            self.total += 1
            self.paths[path] = self.paths.get(path, 0) + 1

    def reset(self):
        with self.lock:
            self.total = 0
            self.paths = {}

    def snapshot(self):
        with self.lock:
            return self.total, dict(self.paths)


def handler_for(log, delay):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def serve(self, with_body):
            log.add(self.path)
            time.sleep(delay)
            status = 404 if self.path.startswith("/missing/") else 200
            body = b"<html><head><title>A source</title></head><body>ok</body></html>"
            self.send_response(status)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if with_body:
                self.wfile.write(body)

        def do_HEAD(self):
            self.serve(False)

        def do_GET(self):
            self.serve(True)

    return Handler


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024


def start_servers(hosts, log, delay):
    servers = []
    for i in range(1, hosts + 1):
        server = Server((f"127.0.0.{i}", 0), handler_for(log, delay))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    return servers


def write_corpus(folder, servers, urls, citations, guides, broken_every):
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    addresses = []
    for n in range(urls):
        host, port = servers[n % len(servers)].server_address
        kind = "missing" if broken_every and n % broken_every == 0 else "page"
        addresses.append(f"http://{host}:{port}/{kind}/{n}")
    cites = [a for a in addresses for _ in range(citations)]
    per_guide = (len(cites) + guides - 1) // guides
    for g in range(guides):
        chunk = cites[g * per_guide:(g + 1) * per_guide]
        lines = [f"slug: bench-{g}", "sources:"]
        half = len(chunk) // 2
        for i, url in enumerate(chunk[:half]):
            lines += [f"  - id: s{i}", f"    url: {url}"]
        lines.append("body: |")
        for url in chunk[half:]:
            lines.append(f"  See [this source]({url}) for the figures.")
        with open(os.path.join(folder, f"bench-{g}.yaml"), "w") as f:
            f.write("\n".join(lines) + "\n")
    return addresses


def timed(command, log, cwd=None):
    log.reset()
    start = time.monotonic()
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    elapsed = time.monotonic() - start
    total, paths = log.snapshot()
    return elapsed, total, paths, done


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--guidepress", required=True)
    parser.add_argument("--lychee", required=True)
    parser.add_argument("--out", default="benches/out")
    parser.add_argument("--urls", type=int, default=2000, help="unique URLs")
    parser.add_argument("--hosts", type=int, default=8, help="loopback hosts serving them")
    parser.add_argument("--citations", type=int, default=5, help="citations of each URL")
    parser.add_argument("--guides", type=int, default=40)
    parser.add_argument("--delay-ms", type=int, default=50, help="per-response delay")
    parser.add_argument("--broken-every", type=int, default=20, help="every Nth URL answers 404 (0: none)")
    parser.add_argument("--max-concurrency", type=int, default=128)
    parser.add_argument("--host-concurrency", type=int, default=10)
    parser.add_argument("--host-interval-ms", type=int, default=50)
    args = parser.parse_args()

    log = Log()
    servers = start_servers(args.hosts, log, args.delay_ms / 1000)
    out = os.path.abspath(args.out)
    corpus = os.path.join(os.path.dirname(out), "corpus")
    addresses = write_corpus(corpus, servers, args.urls, args.citations, args.guides, args.broken_every)
    unique = len(addresses)

    work = os.path.join(out, "links-bench")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    config = os.path.join(work, "guidepress.toml")
    with open(config, "w") as f:
        f.write(
            "schemas = []\n"
            "[links]\n"
            f"max_concurrency = {args.max_concurrency}\n"
            f"host_concurrency = {args.host_concurrency}\n"
            f"host_interval = \"{args.host_interval_ms}ms\"\n"
            "allow_net = [\"127.0.0.0/8\"]\n"
            "cache_path = \"links-cache.json\"\n"
        )
    guidepress = [os.path.abspath(args.guidepress), "--config", config, "--quiet", "links", corpus]
    lychee = [
        os.path.abspath(args.lychee), "--no-progress", "--max-concurrency", str(args.max_concurrency),
        "--host-concurrency", str(args.host_concurrency),
        "--host-request-interval", f"{args.host_interval_ms}ms",
        "--max-retries", "3", "--timeout", "20",
        # Files named one by one: given a folder, lychee skips `.yaml`.
        *sorted(glob.glob(os.path.join(corpus, "*.yaml"))),
    ]

    rows = []
    failures = []

    def record(tool, run, result):
        elapsed, total, paths, done = result
        repeated = sum(1 for count in paths.values() if count > 1)
        to_ok = sum(count for path, count in paths.items() if path.startswith("/page/"))
        rows.append((tool, run, elapsed, total, to_ok, repeated))
        if done.returncode not in (0, 1, 2):
            failures.append(f"{tool} {run}: exit {done.returncode}\n{done.stderr[-2000:]}")

    record("guidepress", "cold, no cache", timed(guidepress + ["--no-cache"], log, cwd=work))
    record("lychee", "cold, no cache", timed(lychee, log, cwd=work))
    record("guidepress", "cold, filling cache", timed(guidepress, log, cwd=work))
    record("guidepress", "warm cache", timed(guidepress, log, cwd=work))
    record("lychee", "cold, --cache", timed(lychee + ["--cache"], log, cwd=work))
    record("lychee", "warm, --cache", timed(lychee + ["--cache"], log, cwd=work))

    print(f"{unique} unique URLs on {args.hosts} loopback hosts, {args.citations} citations each "
          f"({unique * args.citations} in {args.guides} guides), {args.delay_ms} ms per response, "
          f"{unique // args.broken_every if args.broken_every else 0} of them 404; limits: "
          f"{args.max_concurrency} at once, {args.host_concurrency} per host, {args.host_interval_ms} ms apart per host.")
    print()
    print(f"| {'tool':<10} | {'run':<20} | {'wall s':>7} | {'URLs/s':>7} | {'requests':>8} | {'req/URL':>7} | {'to ok URLs':>10} | {'URLs asked twice+':>17} |")
    print(f"|{'-' * 12}|{'-' * 22}|{'-' * 9}|{'-' * 9}|{'-' * 10}|{'-' * 9}|{'-' * 12}|{'-' * 19}|")
    for tool, run, elapsed, total, to_ok, repeated in rows:
        rate = unique / elapsed if elapsed > 0 else 0
        print(f"| {tool:<10} | {run:<20} | {elapsed:>7.2f} | {rate:>7.0f} | {total:>8} | {total / unique:>7.2f} | {to_ok:>10} | {repeated:>17} |")
    print()
    print("requests: as counted by the servers; to ok URLs: of those, requests for URLs that answer 200 "
          "(a warm cache should make none; broken links are never cached, so they are asked again).")
    for failure in failures:
        print(failure, file=sys.stderr)
    for server in servers:
        server.shutdown()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
