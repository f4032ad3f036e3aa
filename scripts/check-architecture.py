#!/usr/bin/env python3
"""The workspace's architecture rules, checked (`make lint` runs this):

1. Each crate depends only on the workspace crates listed for it below (normal dependencies).
2. The HTTP service (`clinex-api`) and the extraction library (`clinex-extractor`) have no
   native library in their dependency trees: no pdfium-render, ort or tesseract.
3. Each native library is named only in its adapter crate's sources.
4. No two top-level modules of a crate use each other, directly or through others: data flows
   one way. A module is a file or folder right under `src/`; `A -> B` when A's non-test code
   names `crate::B`. Test code (`#[cfg(test)] mod`, `tests.rs`) is left out.

Prints every violation and exits 1 if there is any.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Which workspace crates each crate may depend on (normal dependencies).
MAY_DEPEND_ON = {
    "clinex-extractor": set(),
    "clinex-pdfium": {"clinex-extractor"},
    "clinex-layout-model": {"clinex-extractor"},
    "clinex-ocr": {"clinex-extractor", "clinex-layout-model"},
    "clinex-engines": {"clinex-extractor", "clinex-pdfium", "clinex-layout-model", "clinex-ocr"},
    "clinex-store": {"clinex-extractor"},
    "clinex-worker": {"clinex-extractor", "clinex-engines", "clinex-store"},
    "clinex-eval": {"clinex-extractor", "clinex-engines", "clinex-layout-model"},
    "clinex-api": {"clinex-extractor", "clinex-store"},
    "clinex-cli": {"clinex-extractor", "clinex-engines", "clinex-eval", "clinex-api", "clinex-worker"},
    "clinex-tests": {"clinex-extractor", "clinex-engines", "clinex-ocr"},
}

# Crates whose dependency trees must hold no native library.
PURE = ["clinex-extractor", "clinex-store", "clinex-api"]
NATIVE_PACKAGES = {"pdfium-render", "ort", "ort-sys", "tesseract", "tesseract-sys", "leptonica-sys"}

# Where each native library may be named in the sources.
NATIVE_NAMES = {
    "pdfium_render": ["pdfium/src"],
    "ort": ["layout-model/src", "ocr/src"],
    "tesseract": ["ocr/src"],
}


def metadata():
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps", "--offline"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out)["packages"]


def check_crate_dependencies(packages):
    names = {p["name"] for p in packages}
    problems = []
    for p in packages:
        allowed = MAY_DEPEND_ON.get(p["name"])
        if allowed is None:
            problems.append(f"{p['name']}: not listed in MAY_DEPEND_ON (say what it may depend on)")
            continue
        used = {d["name"] for d in p["dependencies"] if d["name"] in names and d.get("kind") is None}
        for extra in sorted(used - allowed):
            problems.append(f"{p['name']} depends on {extra}, which it may not")
    return problems


def check_pure_trees():
    problems = []
    for crate in PURE:
        out = subprocess.run(
            ["cargo", "tree", "--offline", "-p", crate, "-e", "normal,build", "--prefix", "none", "--no-dedupe"],
            cwd=ROOT, check=True, capture_output=True, text=True,
        ).stdout
        found = sorted({line.split()[0] for line in out.splitlines() if line.split()[:1] and line.split()[0] in NATIVE_PACKAGES})
        if found:
            problems.append(f"{crate}'s dependency tree holds {', '.join(found)}")
    return problems


def strip_comments_and_tests(text):
    text = re.sub(r"//[^\n]*", "", text)
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*(pub(\([^)]*\))?\s+)?mod\s+\w+\s*\{", text):
        if m.start() < i:
            continue
        out.append(text[i:m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)


def check_native_names():
    problems = []
    for name, homes in NATIVE_NAMES.items():
        for path in sorted(ROOT.glob("*/src/**/*.rs")):
            rel = path.relative_to(ROOT).as_posix()
            if any(rel.startswith(h + "/") for h in homes):
                continue
            # The crate named as a path's root: `ort::…`, `use ort`, `tesseract::Tesseract`.
            if re.search(rf"(?<![\w:]){name}::", strip_comments_and_tests(path.read_text(encoding="utf-8"))):
                problems.append(f"{rel} names {name}, which only {', '.join(homes)} may")
    return problems


def crate_paths(text):
    """The first segment of every `crate::` path, `crate::{a, b::c}` groups included."""
    names = []
    for m in re.finditer(r"\bcrate::", text):
        rest = text[m.end():]
        if rest.startswith("{"):
            depth, j = 0, 0
            for j, c in enumerate(rest):
                depth += {"{": 1, "}": -1}.get(c, 0)
                if depth == 0:
                    break
            inner, level, start = rest[1:j], 0, 0
            parts = []
            for k, c in enumerate(inner):
                level += {"{": 1, "}": -1}.get(c, 0)
                if c == "," and level == 0:
                    parts.append(inner[start:k])
                    start = k + 1
            parts.append(inner[start:])
            names += [re.match(r"\s*(\w*)", part).group(1) for part in parts]
        else:
            names.append(re.match(r"(\w*)", rest).group(1))
    return [n for n in names if n]


def module_graph(src):
    modules = {}
    for entry in sorted(src.iterdir()):
        if entry.name in ("lib.rs", "main.rs"):
            continue
        if entry.suffix == ".rs":
            modules[entry.stem] = [entry]
        elif entry.is_dir():
            modules[entry.name] = sorted(entry.rglob("*.rs"))
    graph = {m: set() for m in modules}
    for module, files in modules.items():
        for f in files:
            if f.name == "tests.rs":
                continue
            for used in crate_paths(strip_comments_and_tests(f.read_text(encoding="utf-8"))):
                if used in graph and used != module:
                    graph[module].add(used)
    return graph


def cycles(graph):
    """Strongly connected groups of more than one module (Kosaraju: order by finish, then
    walk the reversed graph in that order)."""
    order, seen = [], set()
    for start in graph:
        if start in seen:
            continue
        seen.add(start)
        stack = [(start, iter(sorted(graph[start])))]
        while stack:
            node, edges = stack[-1]
            nxt = next((n for n in edges if n not in seen), None)
            if nxt is None:
                order.append(node)
                stack.pop()
            else:
                seen.add(nxt)
                stack.append((nxt, iter(sorted(graph[nxt]))))
    reverse = {m: set() for m in graph}
    for a, bs in graph.items():
        for b in bs:
            reverse[b].add(a)
    groups, assigned = [], set()
    for node in reversed(order):
        if node in assigned:
            continue
        group, todo = [], [node]
        assigned.add(node)
        while todo:
            n = todo.pop()
            group.append(n)
            for m in reverse[n]:
                if m not in assigned:
                    assigned.add(m)
                    todo.append(m)
        if len(group) > 1:
            groups.append(sorted(group))
    return groups


def check_module_cycles(packages):
    problems = []
    for p in packages:
        src = Path(p["manifest_path"]).parent / "src"
        if not src.is_dir():
            continue
        graph = module_graph(src)
        for group in cycles(graph):
            ties = [f"{a}->{b}" for a in group for b in sorted(graph[a]) if b in group]
            problems.append(f"{p['name']}: modules {', '.join(group)} use each other ({', '.join(ties)})")
    return problems


def main():
    packages = metadata()
    problems = (
        check_crate_dependencies(packages)
        + check_pure_trees()
        + check_native_names()
        + check_module_cycles(packages)
    )
    for p in problems:
        print(f"architecture: {p}")
    if problems:
        return 1
    crates = len(packages)
    print(f"architecture: {crates} crates, their dependencies as allowed, no native library in "
          f"{' or '.join(PURE)}, native names only in their adapters, no module cycles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
