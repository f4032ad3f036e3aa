"""Text extraction, side by side: clinex against the tools users would pick instead.

Each tool runs in its own child process over every PDF of a set; wall time and the peak resident
memory of that process (and of its own children, for the command-line tools) are recorded.
Usage: compare.py --clinex PATH --out REPORT.md SET_DIR...
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

RUNNER = r'''
import sys, resource, subprocess, json
tool, files = sys.argv[1], sys.argv[2:]
pages = 0
failed = 0
for f in files:
    try:
        if tool == "pdftotext":
            r = subprocess.run(["pdftotext", "-enc", "UTF-8", f, "-"], capture_output=True)
            if r.returncode: failed += 1; continue
            pages += r.stdout.count(b"\f")
        elif tool == "pdfplumber":
            import pdfplumber
            with pdfplumber.open(f) as pdf:
                for p in pdf.pages:
                    p.extract_text(); pages += 1
        elif tool == "pymupdf":
            import pymupdf
            with pymupdf.open(f) as doc:
                for p in doc:
                    p.get_text(); pages += 1
        elif tool == "pypdfium2":
            import pypdfium2
            doc = pypdfium2.PdfDocument(f)
            for i in range(len(doc)):
                tp = doc[i].get_textpage(); tp.get_text_range(); pages += 1
            doc.close()
    except Exception:
        failed += 1
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"pages": pages, "failed": failed, "peak_kib": max(own, kids)}))
'''


def pdfs(folder):
    return sorted(str(p) for p in Path(folder).rglob("*.pdf") if p.name != "encrypted.pdf")


def run_tool(tool, files, clinex):
    start = time.perf_counter()
    if tool == "clinex":
        out = subprocess.run([clinex, "bench", "--repeat", "1", "--json", *files], capture_output=True, text=True)
        rows = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
        elapsed = time.perf_counter() - start
        pages = sum(r["pages"] for r in rows)
        peak = max(r["peak_rss_mib"] for r in rows) if rows else 0
        return {"pages": pages, "failed": sum(r["failed"] for r in rows), "seconds": elapsed, "peak_mib": peak}
    out = subprocess.run([sys.executable, "-c", RUNNER, tool, *files], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    r = json.loads(out.stdout.strip().splitlines()[-1])
    return {"pages": r["pages"], "failed": r["failed"], "seconds": elapsed, "peak_mib": r["peak_kib"] / 1024}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clinex", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("sets", nargs="+")
    args = ap.parse_args()
    tools = ["clinex", "pdftotext", "pypdfium2", "pymupdf", "pdfplumber"]
    lines = ["# Text extraction: clinex and the alternatives, side by side", "",
             f"Machine: {os.cpu_count()} cores. Best of {args.repeat} runs per tool and set; each run is one process over the",
             "whole set (process start-up included; pdftotext starts one process per file, as it is used).",
             "clinex does more than the others here: lines, blocks, reading order, region kinds, warnings and the",
             "contract JSON; the others return plain text.", "",
             "| set | tool | docs | pages | seconds | pages/s | peak MiB |", "|---|---|---|---|---|---|---|"]
    for folder in args.sets:
        files = pdfs(folder)
        for tool in tools:
            best = None
            for _ in range(args.repeat):
                r = run_tool(tool, files, args.clinex)
                if best is None or r["seconds"] < best["seconds"]:
                    best = r
            rate = best["pages"] / best["seconds"] if best["seconds"] else 0
            row = f"| {Path(folder).name} | {tool} | {len(files)} | {best['pages']} | {best['seconds']:.2f} | {rate:.1f} | {best['peak_mib']:.0f} |"
            print(row, flush=True)
            lines.append(row)
    lines += ["", f"Regenerate with `make bench-compare` ({time.strftime('%Y-%m-%d')})."]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines) + "\n")
    print(f"report written to {args.out}")


if __name__ == "__main__":
    main()
