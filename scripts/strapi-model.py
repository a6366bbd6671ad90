#!/usr/bin/env python3
"""Generate the shipped Strapi's guide model from the guide schema.

Reads the built-in mapping (src/publish/mapping/builtin.toml: which CMS
attribute holds which guide value) and the guide's JSON Schema
(schemas/guide.schema.json: the type of each value), and writes
cms/strapi/src/api/guide/content-types/guide/schema.json (the attributes)
and cms/strapi/src/components/guide/*.json. The output is committed; run
this after changing either input:

    python3 scripts/strapi-model.py          # rewrite the model files
    python3 scripts/strapi-model.py --check  # exit 1 if they are out of date

The rules are mechanical:
  - a component table is a component; its UID is `guide.` and the kebab-case
    name of the schema definition it holds (`$ref`, items' `$ref` for a list),
    else of the pointer's last token; a list of strings mapped as
    `{ text = "" }` is `guide.text-item`. Repeatable when `from` is a list.
  - a string is `date` (format date), `richtext` (its description says
    Markdown), `text` (a URL, or a description that speaks of a sentence,
    paragraph or line), `string` (an identifier: a pattern, an enumeration, a slug or
    heading; or a value its description calls short, a name, title, label or
    heading), else `text` (no length limit on any database); an integer is
    `integer`, a number `float`, a boolean `boolean`, a list or object `json`.
  - `required` inside components where the schema requires the value and
    every object above it within the component; at the top only `slug` and
    `title` (an editor may save an incomplete page). guidepress's bookkeeping (`slug`, `contentHash`,
    `managedBy`, `sourcePath`) is added to the type.
The Rust unit test `the_builtin_mapping_fits_the_shipped_strapi_model`
checks the committed model against the mapping on every test run.
Needs Python 3.11+ (tomllib).
"""

import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAPPING = ROOT / "src/publish/mapping/builtin.toml"
SCHEMA = ROOT / "schemas/guide.schema.json"
TYPE_FILE = ROOT / "cms/strapi/src/api/guide/content-types/guide/schema.json"
COMPONENTS = ROOT / "cms/strapi/src/components/guide"

schema = json.loads(SCHEMA.read_text())


def resolve(node):
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def ref_name(node):
    return node["$ref"].rsplit("/", 1)[-1] if "$ref" in node else None


def at(node, pointer):
    """(schema node, required along the way) of `pointer` under `node`."""
    required = True
    for token in [t for t in pointer.split("/")[1:]]:
        parent = resolve(node)
        required = required and token in parent.get("required", [])
        node = parent["properties"][token]
    return node, required


def kebab(name):
    return name.replace("_", "-")


def describe(node):
    return resolve(node).get("description", "") or node.get("description", "")


def scalar_type(node):
    target = resolve(node)
    kind = target.get("type")
    if kind == "string":
        text = (node.get("description", "") + " " + target.get("description", "")).lower()
        identifier = (
            "pattern" in target or "enum" in target or ref_name(node) in ("slug", "heading")
        )
        if target.get("format") == "date":
            return "date"
        if "markdown" in text:
            return "richtext"
        if target.get("format") == "uri" or re.search(r"\b(sentences?|paragraph|line)\b", text):
            return "text"
        if identifier or re.search(r"\b(short|few words|name|title|label|heading|organisation)\b", text):
            return "string"
        return "text"
    return {"integer": "integer", "number": "float", "boolean": "boolean"}.get(kind, "json")


components = {}


def component(name, node, fields, is_list):
    item = resolve(node)["items"] if is_list else node
    if fields == {"text": ""}:
        uid = "guide.text-item"
        attributes = {"text": {"type": "text", "required": True}}
        description = "One item of a list of texts (a takeaway, a task, a bullet)"
    else:
        uid = "guide." + kebab(ref_name(item) or name)
        attributes = build(fields, item)
        description = describe(item).split(". ")[0].rstrip(".")
    display = " ".join(w.capitalize() for w in uid.split(".")[1].split("-"))
    entry = {
        "collectionName": "components_guide_" + uid.split(".")[1].replace("-", "_") + "s",
        "info": {"displayName": display, "description": description},
        "options": {},
        "attributes": attributes,
    }
    if uid in components and components[uid] != entry:
        sys.exit(f"strapi-model.py: {uid} is built two ways: map its uses alike")
    components[uid] = entry
    return uid


def build(fields, here):
    attributes = {}
    for name, source in fields.items():
        if isinstance(source, str):
            node, required = at(here, source) if source else (here, True)
            attribute = {"type": scalar_type(node)}
        else:
            node, required = at(here, source["from"])
            is_list = resolve(node).get("type") == "array"
            token = source["from"].rsplit("/", 1)[-1]
            uid = component(token, node, source["fields"], is_list)
            attribute = {"type": "component", "repeatable": is_list, "component": uid}
        if required:
            attribute["required"] = True
        attributes[name] = attribute
    return attributes


def main():
    mapping = tomllib.loads(MAPPING.read_text())["cms"]["fields"]
    attributes = build(mapping, schema)
    # At the top, only the managed strings are required: an editor may save
    # (and publish) a page in the CMS before it is complete; guidepress's own
    # checks hold a guide to the schema before it is published.
    for name, attribute in attributes.items():
        if name != "title":
            attribute.pop("required", None)
    attributes["slug"] = {"type": "string", "required": True, "unique": True}
    for name in ["contentHash", "managedBy", "sourcePath"]:
        attributes[name] = {"type": "string"}
    order = ["slug", "title", "guideStatus", "contentHash", "managedBy", "sourcePath"]
    attributes = {k: attributes[k] for k in order} | {
        k: v for k, v in attributes.items() if k not in order
    }
    content_type = json.loads(TYPE_FILE.read_text())
    content_type["attributes"] = attributes
    outputs = {TYPE_FILE: content_type}
    for uid, entry in components.items():
        outputs[COMPONENTS / (uid.split(".")[1] + ".json")] = entry
    stale = []
    for path, value in outputs.items():
        text = json.dumps(value, indent=2, ensure_ascii=False) + "\n"
        if not path.exists() or path.read_text() != text:
            stale.append(path)
            if "--check" not in sys.argv:
                path.write_text(text)
    extra = [p for p in COMPONENTS.glob("*.json") if p not in outputs]
    for path in extra:
        stale.append(path)
        if "--check" not in sys.argv:
            path.unlink()
    for path in stale:
        print(f"strapi-model.py: {'out of date' if '--check' in sys.argv else 'wrote'} {path.relative_to(ROOT)}")
    if "--check" in sys.argv and stale:
        sys.exit(1)


if __name__ == "__main__":
    main()
