#!/usr/bin/env python3
"""Generates a corpus of N realistic guides: variations of the bundled guide.

Usage: gen_corpus.py N OUTDIR [clean|warning|error|typo]

Writes OUTDIR/content/guides/<slug>.yaml (N files), OUTDIR/content/authors/*.yaml
and OUTDIR/guidepress.toml pointing at this repository's schemas, with the
official data off. Each guide
keeps the bundled guide's size and shape; slugs, titles, summaries and the
state table vary, with every "vs national" percentage recomputed so the
corpus is clean (what a real repository mostly is). With `warning`, every
guide keeps the bundled guide's one warning (GP304: its career path's stated
total disagrees with its steps); with `error`, every guide is clean but for
one error (GP301: a state's "vs national" percentage off by 7 points); with
`typo`, every guide is clean but for one misspelled word in its summary (GP701,
a warning), one letter dropped from one of the guide's long words, so the
corpus of 2,000 holds 161 distinct misspellings, each needing suggestions.
"""
import os
import random
import re
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STATES = ["CA", "WA", "NY", "MA", "TX", "VA", "NJ", "CO", "MD", "IL", "GA", "NC",
          "OR", "MN", "AZ", "UT", "PA", "OH", "MI", "FL"]
TYPO_WORDS = ["infrastructure", "applications", "authentication", "calculations",
              "documentation", "optimization", "orchestration", "observability",
              "distributed", "architecture", "performance", "professional",
              "experience", "foundational", "collaborating", "communication"]
ROLES = ["Backend", "Platform", "Data", "Cloud", "API", "Systems", "Payments",
         "Search", "Infrastructure", "Reliability"]


def state_rows(rng, national, indent="  "):
    count = rng.randint(3, 8)
    medians = sorted({rng.randrange(90000, 200000, 250) for _ in range(count)}, reverse=True)
    states = rng.sample(STATES, len(medians))
    lines = []
    for state, median in zip(states, medians):
        pct = round((median - national) / national * 100)
        lines += [f"{indent}- state: {state}",
                  f"{indent}  employed: {rng.randrange(5000, 300000, 100)}",
                  f"{indent}  median_salary: {median}",
                  f"{indent}  vs_national_pct: {pct}"]
    return "\n".join(lines)


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    mode = sys.argv[3] if len(sys.argv) > 3 else "clean"
    if mode not in ("clean", "warning", "error", "typo"):
        sys.exit(f"unknown corpus kind {mode!r}: clean, warning, error or typo")
    with open(os.path.join(ROOT, "content/guides/backend-engineer.yaml"), encoding="utf-8") as f:
        template = f.read()
    national = int(re.search(r"national_median_salary: (\d+)", template).group(1))
    table = re.compile(r"(salary_by_state:\n)((?:  .*\n)+)")
    guides = os.path.join(out, "content", "guides")
    if os.path.isdir(guides):
        shutil.rmtree(guides)
    os.makedirs(guides)
    shutil.copytree(os.path.join(ROOT, "content/authors"), os.path.join(out, "content/authors"),
                    dirs_exist_ok=True)
    rng = random.Random(20261128)
    for i in range(n):
        role = f"{rng.choice(ROLES)} Engineer"
        slug = f"{role.lower().replace(' ', '-')}-{i:05d}"
        text = template.replace("slug: backend-engineer", f"slug: {slug}", 1)
        text = text.replace("title: How to Become a Backend Engineer",
                            f"title: How to Become a {role} (variant {i})", 1)
        edition = f"Edition {i}."
        if mode == "typo":
            word = TYPO_WORDS[i % len(TYPO_WORDS)]
            cut = 1 + (i // len(TYPO_WORDS)) % (len(word) - 2)
            edition = f"Edition {i}, on {word[:cut] + word[cut + 1:]}."
        text = text.replace("are scalable, secure, and performant.",
                            f"are scalable, secure, and performant. {edition}", 1)
        # The bundled guide keeps the seed's "4-6 years" (a known GP304 warning);
        # the corpus states its steps' real total so that it is clean.
        if mode != "warning":
            text = text.replace("total_duration: { min: 4, max: 6, unit: years }",
                                "total_duration: { min: 6.5, max: 8, unit: years }", 1)
        rows = state_rows(rng, national)
        if mode == "error":
            rows = re.sub(r"vs_national_pct: (-?\d+)",
                          lambda m: f"vs_national_pct: {int(m.group(1)) + 7}", rows, count=1)
        text = table.sub(lambda m: m.group(1) + rows + "\n", text, count=1)
        with open(os.path.join(guides, f"{slug}.yaml"), "w", encoding="utf-8") as f:
            f.write(text)
    with open(os.path.join(out, "guidepress.toml"), "w", encoding="utf-8") as f:
        f.write(f"""[[schemas]]
files = "content/guides/*.yaml"
schema = "{ROOT}/schemas/guide.schema.json"
kind = "guide"

[[schemas]]
files = "content/authors/*.yaml"
schema = "{ROOT}/schemas/author.schema.json"
kind = "author"

# The state tables vary, so their figures are not BLS's: the official-data
# rules (and their cost, measured by benches/data.sh) are left out, as they
# were before the binary carried the data.
[data]
enabled = false
""")


if __name__ == "__main__":
    main()
