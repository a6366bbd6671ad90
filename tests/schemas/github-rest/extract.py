#!/usr/bin/env python3
"""Extracts the operations `guidepress review` calls from GitHub's published
OpenAPI description of api.github.com, with every component they refer to
(transitively), into one self-contained OpenAPI document.

Usage: extract.py SOURCE.json > api.github.com.review.json

SOURCE is `descriptions/api.github.com/api.github.com.json` of
github/rest-api-description, or the same document as republished in the npm
package @octokit/openapi (`generated/api.github.com.json`), whose `x-octokit`
extensions are removed here. Nothing else is changed: the operations and
components are copied as they are.
"""

import json
import sys

# (method, path, operationId): what src/review/github.rs sends.
OPERATIONS = [
    ("get", "/repos/{owner}/{repo}/pulls/{pull_number}", "pulls/get"),
    ("get", "/repos/{owner}/{repo}/pulls/{pull_number}/files", "pulls/list-files"),
    ("get", "/repos/{owner}/{repo}/pulls/{pull_number}/comments", "pulls/list-review-comments"),
    ("post", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", "pulls/create-review"),
    ("patch", "/repos/{owner}/{repo}/pulls/comments/{comment_id}", "pulls/update-review-comment"),
    ("delete", "/repos/{owner}/{repo}/pulls/comments/{comment_id}", "pulls/delete-review-comment"),
]


def strip_extensions(node):
    """The document without the `x-octokit` keys the npm package adds."""
    if isinstance(node, dict):
        return {k: strip_extensions(v) for k, v in node.items() if k != "x-octokit"}
    if isinstance(node, list):
        return [strip_extensions(v) for v in node]
    return node


def refs(node):
    """Every `$ref` in a node."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def main():
    source = json.load(open(sys.argv[1], encoding="utf-8"))
    paths = {}
    for method, path, operation_id in OPERATIONS:
        item = source["paths"][path]
        operation = item[method]
        if operation.get("operationId") != operation_id:
            sys.exit(f"{method} {path} is {operation.get('operationId')}, not {operation_id}")
        kept = paths.setdefault(path, {k: v for k, v in item.items() if k == "parameters"})
        kept[method] = operation
    paths = strip_extensions(paths)
    components = {}
    pending = list(refs(paths))
    seen = set()
    while pending:
        ref = pending.pop()
        if ref in seen:
            continue
        seen.add(ref)
        if not ref.startswith("#/components/"):
            sys.exit(f"unexpected reference {ref}")
        _, _, kind, name = ref.split("/", 3)
        value = strip_extensions(source["components"][kind][name])
        components.setdefault(kind, {})[name] = value
        pending.extend(refs(value))
    document = {
        "openapi": source["openapi"],
        "info": {
            "title": "GitHub v3 REST API: the operations guidepress review calls",
            "version": source["info"]["version"],
            "description": "A subset of GitHub's OpenAPI description of api.github.com "
            "(https://github.com/github/rest-api-description, MIT), extracted by extract.py.",
            "license": {"name": "MIT", "url": "https://spdx.org/licenses/MIT"},
        },
        "servers": source.get("servers", []),
        "paths": paths,
        "components": {kind: dict(sorted(items.items())) for kind, items in sorted(components.items())},
    }
    json.dump(document, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
