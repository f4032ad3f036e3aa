"""Table extraction, side by side on ICDAR 2013: clinex against pdfplumber and camelot.

Every tool runs in its own child process over all competition PDFs (one process per tool, so
start-up and model loading count once); its tables come back as cell grids and are scored here
with one implementation of the competition's metric for all: adjacency relations between each
non-empty cell and its nearest non-empty neighbour to the right and below, compared as
(text, text, direction) with text lower-cased and only letters and digits kept, pooled over the
67 documents. Also the mean of per-document F1 and seconds per page.

Usage: tables.py --clinex PATH --data ICDAR2013_DIR --out REPORT.md
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

RUNNER = r'''
import json, sys, warnings
warnings.filterwarnings("ignore")
tool, files = sys.argv[1], sys.argv[2:]
out = {}
for f in files:
    tables = []
    try:
        if tool == "pdfplumber":
            import pdfplumber
            with pdfplumber.open(f) as pdf:
                for p in pdf.pages:
                    for t in p.extract_tables():
                        tables.append([[c or "" for c in row] for row in t])
        else:
            import camelot
            flavor = tool.split("-")[1]
            for t in camelot.read_pdf(f, pages="all", flavor=flavor):
                tables.append(t.df.astype(str).values.tolist())
    except Exception as e:
        print(f"{tool}: {f}: {e}", file=sys.stderr)
    out[f] = tables
print(json.dumps(out))
'''


def normalise(text):
    return "".join(ch for ch in text.lower() if ch.isalnum())


def relations(cells):
    """cells: (r0, c0, r1, c1, text), inclusive spans."""
    cells = [c for c in cells if normalise(c[4])]
    at = {}
    for k, (r0, c0, r1, c1, _) in enumerate(cells):
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                at[(r, c)] = k
    if not cells:
        return []
    max_r = max(c[2] for c in cells)
    max_c = max(c[3] for c in cells)
    def first_neighbour(k, slots):
        """The first other cell met along each run of slots (one run per row or column spanned)."""
        found = set()
        for run in slots:
            j = next((at[s] for s in run if s in at and at[s] != k), None)
            if j is not None:
                found.add(j)
        return found

    out = []
    for k, (r0, c0, r1, c1, text) in enumerate(cells):
        right = first_neighbour(k, ([(r, c) for c in range(c1 + 1, max_c + 1)] for r in range(r0, r1 + 1)))
        below = first_neighbour(k, ([(r, c) for r in range(r1 + 1, max_r + 1)] for c in range(c0, c1 + 1)))
        me = normalise(text)
        out += [(me, normalise(cells[j][4]), "H") for j in right]
        out += [(me, normalise(cells[j][4]), "V") for j in below]
    return out


def grid_cells(rows):
    return [(r, c, r, c, text) for r, row in enumerate(rows) for c, text in enumerate(row)]


def truth_relations(str_xml):
    rels = []
    for table in ET.parse(str_xml).getroot().iter("table"):
        cells, offset = [], 0
        for region in table.iter("region"):
            last = 0
            for cell in region.iter("cell"):
                r0, c0 = int(cell.get("start-row")), int(cell.get("start-col"))
                r1, c1 = int(cell.get("end-row", r0)), int(cell.get("end-col", c0))
                content = cell.find("content")
                cells.append((r0 + offset, c0, max(r0, r1) + offset, max(c0, c1), (content.text or "") if content is not None else ""))
                last = max(last, r1)
            offset += last + 1
        rels += relations(cells)
    return rels


def page_count(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    return next((int(l.split()[-1]) for l in out.splitlines() if l.startswith("Pages:")), 0)


def run_clinex(clinex, files):
    with tempfile.TemporaryDirectory() as out_dir:
        start = time.perf_counter()
        subprocess.run([clinex, "batch", "--out", out_dir, *files], capture_output=True, check=False)
        seconds = time.perf_counter() - start
        found = {}
        for f in files:
            path = Path(out_dir) / (Path(f).stem + ".json")
            tables = json.loads(path.read_text())["tables"] if path.exists() else []
            found[f] = [[(c["row"], c["col"], c["row"] + c["row_span"] - 1, c["col"] + c["col_span"] - 1, c["text"])
                         for c in t["cells"]] for t in tables]
        return found, seconds


def run_python_tool(tool, files):
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", RUNNER, tool, *files], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    found = json.loads(out.stdout.strip().splitlines()[-1])
    return {f: [grid_cells(t) for t in found.get(f, [])] for f in files}, seconds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clinex", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    root = Path(args.data)
    files = sorted(str(p) for d in ("competition-dataset-eu", "competition-dataset-us") for p in (root / d).glob("*.pdf"))
    truth = {f: truth_relations(str(Path(f).with_name(Path(f).stem + "-str.xml"))) for f in files}
    pages = sum(page_count(f) for f in files)
    lines = ["# Tables on ICDAR 2013: clinex and the alternatives, side by side", "",
             f"Machine: {os.cpu_count()} cores. {len(files)} documents, {pages} pages; one process per tool over all of them",
             "(start-up and model loading included). Metric: the competition's adjacency relations, text lower-cased with",
             "only letters and digits kept, the same code for every tool. clinex runs its whole pipeline (layout model,",
             "regions, text, tables); pdfplumber `extract_tables()` and camelot `read_pdf(pages='all')` find tables only.", "",
             "| tool | precision | recall | F1 (pooled) | mean per-document F1 | seconds | s/page |",
             "|---|---|---|---|---|---|---|"]
    for tool in ["clinex", "pdfplumber", "camelot-stream", "camelot-lattice"]:
        found, seconds = run_clinex(args.clinex, files) if tool == "clinex" else run_python_tool(tool, files)
        correct = n_found = n_truth = 0
        f1s = []
        for f in files:
            got = [r for t in found[f] for r in relations(t)]
            want = truth[f]
            c = sum((Counter(got) & Counter(want)).values())
            correct, n_found, n_truth = correct + c, n_found + len(got), n_truth + len(want)
            p = c / len(got) if got else 0.0
            r = c / len(want) if want else 0.0
            f1s.append(2 * p * r / (p + r) if p + r else 0.0)
        p = correct / n_found if n_found else 0.0
        r = correct / n_truth if n_truth else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        row = (f"| {tool} | {p:.3f} | {r:.3f} | {f1:.3f} | {sum(f1s) / len(f1s):.3f} | {seconds:.1f} | "
               f"{seconds / max(pages, 1):.3f} |")
        print(row, flush=True)
        lines.append(row)
    lines += ["", f"Regenerate with `make bench-tables` ({time.strftime('%Y-%m-%d')})."]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines) + "\n")
    print(f"report written to {args.out}")


if __name__ == "__main__":
    main()
