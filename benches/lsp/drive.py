#!/usr/bin/env python3
"""Drives a language server over stdio like an editor does, and times it.

Usage: drive.py --label LABEL --workspace DIR --guide REL_PATH [--edits N]
                [--seed N] [--pause SECONDS] [--timeout SECONDS] -- COMMAND...

The exchange: `initialize` (root and workspace folder DIR, UTF-16 positions,
versioned diagnostics), `initialized`, `workspace/didChangeConfiguration`
(the `guidepress` and `yaml` sections; `workspace/configuration` requests are
answered from the same settings), `textDocument/didOpen` of the guide, then N
edits typed into it, one `textDocument/didChange` each: digits of salary
figures replaced (backspace, then the new digit), `vs_national_pct` values
erased and retyped digit by digit, words typed into prose and erased again.
Each change is sent as the server's advertised `textDocumentSync` asks: a range
(incremental) or the whole text (full). Nothing is ever saved.

Latency of an edit: from the moment its didChange is written to the moment the
first `textDocument/publishDiagnostics` for the guide *for that version* is
read. A server that leaves `version` out of publishDiagnostics is matched by
the first diagnostics for the guide read after the edit was sent (the output
says which). The next edit is sent once the previous one's diagnostics arrived
(plus --pause), so every edit is measured and no two overlap.

Peak memory: VmHWM of the server process (/proc/PID/status) after the edits.

Prints one tab-separated line:
LABEL, edits measured, matched by, open ms, median ms, p95 ms, max ms,
peak RSS MiB, edits without diagnostics (timed out), diagnostics on the last version.
--final-text FILE writes the text after the edits (to check it with `guidepress check`).
"""
import argparse
import json
import math
import os
import queue
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse


def uri_of(path):
    return "file://" + urllib.parse.quote(os.path.abspath(path))


class Server:
    """A language server child process and a reader thread for its stdout."""

    def __init__(self, command, cwd, settings):
        self.settings = settings
        self.proc = subprocess.Popen(command, cwd=cwd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.lock = threading.Lock()
        self.inbox = queue.Queue()
        self.next_id = 0
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _write(self, message):
        body = json.dumps(message).encode("utf-8")
        with self.lock:
            self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.proc.stdin.flush()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put((time.perf_counter(), None))
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            body = out.read(length)
            received = time.perf_counter()
            message = json.loads(body)
            if "method" in message and "id" in message:
                self._answer(message)
            self.inbox.put((received, message))

    def _answer(self, request):
        """Answers what a server asks of its client, from the bench settings."""
        method = request["method"]
        result = None
        if method == "workspace/configuration":
            result = [self.settings.get(item.get("section", ""), None)
                      for item in request["params"]["items"]]
        self._write({"jsonrpc": "2.0", "id": request["id"], "result": result})

    def request(self, method, params):
        self.next_id += 1
        self._write({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.next_id

    def notify(self, method, params):
        self._write({"jsonrpc": "2.0", "method": method, "params": params})

    def wait(self, match, timeout, since=0.0):
        """The first message read at or after `since` that `match` accepts, with
        the time it was read; (None, None) on timeout."""
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                return None, None
            try:
                received, message = self.inbox.get(timeout=left)
            except queue.Empty:
                return None, None
            if message is None:
                raise SystemExit("the server closed its output (exited?)")
            if received >= since and match(message):
                return received, message

    def peak_rss_mib(self):
        with open(f"/proc/{self.proc.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return float("nan")


def position(text, offset, encoding):
    """LSP position of a character offset: line and column in `encoding` units."""
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    prefix = text[start:offset]
    if encoding == "utf-8":
        column = len(prefix.encode("utf-8"))
    elif encoding == "utf-32":
        column = len(prefix)
    else:
        column = len(prefix.encode("utf-16-le")) // 2
    return {"line": line, "character": column}


# Where a writer types: the figures and prose of a guide.
SALARY = re.compile(r"(?:median_salary|national_median_salary|min|max): (\d{5,6})\b")
PCT = re.compile(r"vs_national_pct: (-?\d+)")
PROSE = re.compile(r"^ {4,}[A-Z][^:#\n]{40,}$", re.M)
WORDS = [" reliable", " quickly", " often", " usually", " large", " secure", " modern"]


def typing(text, rng, count):
    """Yields `count` edits (start, end, new text) on the evolving text, as a writer types."""
    made = 0
    while made < count:
        kind = rng.choices(["salary", "pct", "prose"], weights=[3, 3, 4])[0]
        session = []
        if kind == "salary":
            figure = rng.choice(list(SALARY.finditer(text)))
            at = figure.start(1) + rng.randrange(1, len(figure.group(1)))  # keep the first digit
            session = [(at, at + 1, ""), (at, at, str(rng.randrange(10)))]
        elif kind == "pct":
            value = rng.choice(list(PCT.finditer(text)))
            digits = value.group(1)
            end = value.end(1)
            # Backspace the value away, then type a new one.
            session = [(end - i - 1, end - i, "") for i in range(len(digits))]
            start = value.start(1)
            new = str(rng.randrange(-30, 60))
            session += [(start + i, start + i, ch) for i, ch in enumerate(new)]
        else:
            line = rng.choice(list(PROSE.finditer(text)))
            spaces = [m.start() for m in re.finditer(" ", line.group(0)) if m.start() > 4]
            at = line.start() + rng.choice(spaces)
            word = rng.choice(WORDS)
            session = [(at + i, at + i, ch) for i, ch in enumerate(word)]
            session += [(at + len(word) - i - 1, at + len(word) - i, "") for i in range(len(word))]
        for start, end, new in session:
            if made == count:
                return
            yield start, end, new
            text = text[:start] + new + text[end:]
            made += 1


def percentile(values, fraction):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--label", required=True)
    parser.add_argument("--workspace", required=True)
    parser.add_argument("--guide", required=True, help="path relative to the workspace")
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--pause", type=float, default=0.05, help="seconds between edits")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for diagnostics")
    parser.add_argument("--schema", help="schema for yaml-language-server's yaml.schemas")
    parser.add_argument("--final-text", help="write the document's text after the edits here")
    parser.add_argument("command", nargs="+")
    args = parser.parse_args()

    workspace = os.path.abspath(args.workspace)
    guide = os.path.join(workspace, args.guide)
    with open(guide, encoding="utf-8") as f:
        text = f.read()
    guide_uri = uri_of(guide)
    settings = {
        "guidepress": {"linksOnSave": False},
        # yaml-language-server: validate against the guide schema, and never
        # fetch the JSON Schema Store catalogue (no network in the bench).
        "yaml": {
            "validate": True,
            "hover": True,
            "completion": True,
            "format": {"enable": False},
            "schemaStore": {"enable": False},
            "schemas": {uri_of(args.schema): "content/guides/*.yaml"} if args.schema else {},
        },
        "[yaml]": {},
        "editor": {"tabSize": 2, "detectIndentation": False},
        "files": {"associations": {}},
        "http": {"proxy": "", "proxyStrictSSL": True},
    }

    server = Server(args.command, workspace, settings)
    init_id = server.request("initialize", {
        "processId": os.getpid(),
        "clientInfo": {"name": "guidepress-lsp-bench"},
        "rootUri": uri_of(workspace),
        "rootPath": workspace,
        "workspaceFolders": [{"uri": uri_of(workspace), "name": os.path.basename(workspace)}],
        "initializationOptions": settings["guidepress"],
        "capabilities": {
            "general": {"positionEncodings": ["utf-16"]},
            "workspace": {"configuration": True, "workspaceFolders": True,
                          "didChangeConfiguration": {"dynamicRegistration": True},
                          "didChangeWatchedFiles": {"dynamicRegistration": True}},
            "textDocument": {
                "synchronization": {"dynamicRegistration": False, "didSave": True},
                "publishDiagnostics": {"relatedInformation": True, "versionSupport": True,
                                       "codeDescriptionSupport": True, "dataSupport": True},
            },
            "window": {"workDoneProgress": False},
        },
    })
    _, reply = server.wait(lambda m: m.get("id") == init_id and "method" not in m, 60)
    if reply is None or "error" in reply:
        raise SystemExit(f"initialize failed: {reply}")
    capabilities = reply["result"]["capabilities"]
    encoding = capabilities.get("positionEncoding", "utf-16")
    sync = capabilities.get("textDocumentSync", 0)
    if isinstance(sync, dict):
        sync = sync.get("change", 0)
    if sync not in (1, 2):
        raise SystemExit(f"the server takes no document changes (textDocumentSync {sync})")
    server.notify("initialized", {})
    server.notify("workspace/didChangeConfiguration", {"settings": settings})

    def diagnostics_for(version):
        def match(message):
            if message.get("method") != "textDocument/publishDiagnostics":
                return False
            params = message["params"]
            if params["uri"] != guide_uri:
                return False
            if "version" in params and params["version"] is not None:
                matched_by.add("version")
                return params["version"] >= version
            matched_by.add("first after the edit")
            return True
        return match

    matched_by = set()
    version = 1
    sent = time.perf_counter()
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": guide_uri, "languageId": "yaml", "version": version, "text": text}})
    received, message = server.wait(diagnostics_for(version), 60, sent)
    if received is None:
        raise SystemExit("no diagnostics after didOpen within 60 s")
    open_ms = (received - sent) * 1000
    last = message

    latencies, missed = [], 0
    rng = random.Random(args.seed)
    for start, end, new in typing(text, rng, args.edits):
        time.sleep(args.pause)
        version += 1
        if sync == 2:
            change = {"range": {"start": position(text, start, encoding),
                                "end": position(text, end, encoding)},
                      "text": new}
            text = text[:start] + new + text[end:]
        else:
            text = text[:start] + new + text[end:]
            change = {"text": text}
        sent = time.perf_counter()
        server.notify("textDocument/didChange", {
            "textDocument": {"uri": guide_uri, "version": version},
            "contentChanges": [change]})
        received, message = server.wait(diagnostics_for(version), args.timeout, sent)
        if received is None:
            missed += 1
            continue
        latencies.append((received - sent) * 1000)
        last = message

    if args.final_text:
        with open(args.final_text, "w", encoding="utf-8") as f:
            f.write(text)
    peak = server.peak_rss_mib()
    shutdown_id = server.request("shutdown", None)
    server.wait(lambda m: m.get("id") == shutdown_id and "method" not in m, 10)
    server.notify("exit", None)
    try:
        server.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.proc.kill()

    if not latencies:
        raise SystemExit(f"{args.label}: no edit got diagnostics ({missed} timed out)")
    print("\t".join([
        args.label,
        str(len(latencies)),
        "/".join(sorted(matched_by)),
        f"{open_ms:.1f}",
        f"{statistics.median(latencies):.1f}",
        f"{percentile(latencies, 0.95):.1f}",
        f"{max(latencies):.1f}",
        f"{peak:.0f}",
        str(missed),
        str(len(last["params"]["diagnostics"])),
    ]), flush=True)


if __name__ == "__main__":
    sys.exit(main())
