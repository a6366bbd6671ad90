#!/usr/bin/env python3
"""The bare client of the publishing benchmark: sends the requests guidepress
would send first for each planned create (read from `guidepress publish
--dry-run --show-requests --output-format json`), as they are, at a given
concurrency, on persistent connections, and nothing else: no listing, no
checks, no retries. Prints one JSON line: requests, failures, seconds.

Usage: bare.py PLAN.json BASE_URL CONCURRENCY   (token in $GUIDEPRESS_CMS_TOKEN)
"""
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse


def main():
    plan_path, base_url, concurrency = sys.argv[1], sys.argv[2], int(sys.argv[3])
    token = os.environ["GUIDEPRESS_CMS_TOKEN"]
    plan = json.load(open(plan_path))
    requests = [e["request"] for e in plan["entries"] if e.get("request")]
    if not requests:
        sys.exit("bare.py: the plan holds no requests (run publish with --show-requests)")
    # The bodies are serialised once, before the clock starts, compact as
    # guidepress writes them.
    prepared = []
    for r in requests:
        query = urllib.parse.urlencode(r["query"])
        target = r["path"] + ("?" + query if query else "")
        body = json.dumps(r["body"], ensure_ascii=False, separators=(",", ":")).encode()
        prepared.append((r["method"], target, body))
    url = urllib.parse.urlsplit(base_url)
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    lock = threading.Lock()
    queue = list(reversed(prepared))
    failures = []

    def worker():
        conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=60)
        while True:
            with lock:
                if not queue:
                    break
                method, target, body = queue.pop()
            conn.request(method, target, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status >= 300:
                with lock:
                    failures.append(f"{method} {target}: HTTP {response.status}")
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - started
    print(json.dumps({"requests": len(prepared), "failures": len(failures), "seconds": seconds,
                      "first_failure": failures[0] if failures else None}))


if __name__ == "__main__":
    main()
