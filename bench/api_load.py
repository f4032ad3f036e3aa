#!/usr/bin/env python3
"""Load benchmark of the HTTP service, side by side with `clinex batch` on the same documents.

    api_load.py CLINEX DOCS_DIR [--documents 200] [--clients 20] [--workers 2] [--out FILE]
                [--guideline PDF]

Makes N distinct PDFs from the PDFs in DOCS_DIR (each copy gets a comment after its %%EOF, so
every upload is new work), starts `clinex serve` on a free loopback port with a fresh data folder,
and has C concurrent clients each upload their share and then poll `GET /v1/documents/{id}` until
their documents are done. Measures documents/min and pages/s end to end, the p50/p95 latency of
those GETs while the workers are busy, and the peak resident memory of the server and of each
worker (their VmHWM, read from /proc every 0.2 s). With --guideline, one more run uploads that
one PDF to a service with one worker and reports that worker's peak memory. Then runs `clinex batch` over the same files with the
same ONNX Runtime threads per process and reports both. Standard library only.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

KEY = "bench-admin-key-000000000001"


def rss_mib(pid):
    """The process's peak resident memory so far (VmHWM: exact, unlike sampling VmRSS)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return 0.0
    return 0.0


def request(base, method, path, body=None, headers=None):
    req = urllib.request.Request(base + path, data=body, method=method)
    req.add_header("Authorization", f"Bearer {KEY}")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def make_documents(source_dir, n, into):
    sources = sorted(os.path.join(source_dir, f) for f in os.listdir(source_dir) if f.endswith(".pdf") and "encrypted" not in f)
    if not sources:
        sys.exit(f"no PDFs in {source_dir}")
    files = []
    for k in range(n):
        with open(sources[k % len(sources)], "rb") as f:
            data = f.read()
        path = os.path.join(into, f"doc{k:04d}.pdf")
        with open(path, "wb") as f:
            f.write(data + f"\n% clinex load benchmark copy {k}\n".encode())
        files.append(path)
    return files


def run_service(clinex, files, clients, workers, threads):
    data = tempfile.mkdtemp(prefix="clinex-bench-data-")
    env = dict(os.environ, CLINEX_API_KEYS=f"{KEY}:admin", CLINEX_LAYOUT_THREADS=str(threads))
    server = subprocess.Popen(
        [clinex, "serve", "--addr", "127.0.0.1:0", "--workers", str(workers), "--data", data],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True,
    )
    base = server.stdout.readline().strip().removeprefix("clinex: listening on ")
    while request(base, "GET", "/readyz")[0] != 200:
        time.sleep(0.2)
    peaks = {"server": 0.0, "workers": {}}
    sampling = True

    def sample():
        while sampling:
            peaks["server"] = max(peaks["server"], rss_mib(server.pid))
            status, body = request(base, "GET", "/readyz")
            for w in json.loads(body).get("workers", []):
                peaks["workers"][w["id"]] = max(peaks["workers"].get(w["id"], 0.0), rss_mib(w["pid"]))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    latencies, pages, failures = [], [], []
    lock = threading.Lock()
    started = time.time()

    def client(share):
        ids = []
        for path in share:
            with open(path, "rb") as f:
                body = f.read()
            status, answer = request(base, "POST", f"/v1/documents?filename={os.path.basename(path)}", body,
                                     {"Content-Type": "application/pdf"})
            if status not in (200, 202):
                with lock:
                    failures.append(f"{path}: upload {status} {answer[:200]!r}")
                continue
            ids.append(json.loads(answer)["id"])
        pending = set(ids)
        while pending:
            for doc_id in list(pending):
                t0 = time.perf_counter()
                status, answer = request(base, "GET", f"/v1/documents/{doc_id}")
                elapsed = time.perf_counter() - t0
                doc = json.loads(answer)
                with lock:
                    if doc["status"] in ("queued", "running"):
                        latencies.append(elapsed)
                    elif doc["status"] == "done":
                        pages.append(doc["pages_done"])
                    else:
                        failures.append(f"{doc_id}: {doc.get('error')}")
                if doc["status"] in ("done", "failed"):
                    pending.discard(doc_id)
            time.sleep(0.5)

    shares = [files[k::clients] for k in range(clients)]
    threads_ = [threading.Thread(target=client, args=(s,)) for s in shares]
    for t in threads_:
        t.start()
    for t in threads_:
        t.join()
    seconds = time.time() - started
    sampling = False
    sampler.join()
    server.terminate()
    server.wait()
    shutil.rmtree(data, ignore_errors=True)
    return {
        "documents": len(pages), "failed": failures, "pages": sum(pages), "seconds": seconds,
        "p50_ms": percentile(latencies, 50) * 1000, "p95_ms": percentile(latencies, 95) * 1000, "gets": len(latencies),
        "server_peak_mib": peaks["server"], "worker_peak_mib": max(peaks["workers"].values(), default=0.0),
    }


def run_batch(clinex, folder, threads):
    out = tempfile.mkdtemp(prefix="clinex-bench-batch-")
    started = time.time()
    result = subprocess.run([clinex, "batch", folder, "--out", out, "--layout-threads", str(threads)],
                            capture_output=True, text=True)
    seconds = time.time() - started
    shutil.rmtree(out, ignore_errors=True)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr
    return {"seconds": seconds, "summary": summary}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("clinex")
    ap.add_argument("docs")
    ap.add_argument("--documents", type=int, default=200)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", default=None)
    ap.add_argument("--guideline", default=None, help="a long guideline PDF: one worker's peak memory on it")
    args = ap.parse_args()
    folder = tempfile.mkdtemp(prefix="clinex-bench-docs-")
    files = make_documents(args.docs, args.documents, folder)
    service = run_service(args.clinex, files, args.clients, args.workers, threads=1)
    batch = run_batch(args.clinex, folder, threads=args.workers)
    shutil.rmtree(folder, ignore_errors=True)
    report = (
        f"# Service under load\n\nRegenerate with `make bench-api`. {args.documents} distinct PDFs (copies of "
        f"`{args.docs}`), {args.clients} concurrent clients, `clinex serve --workers {args.workers}` (one ONNX Runtime "
        f"thread per worker) against `clinex batch --layout-threads {args.workers}` (one process) on the same files.\n\n"
        "| run | documents | pages | seconds | documents/min | pages/s |\n|---|---|---|---|---|---|\n"
        f"| service | {service['documents']} | {service['pages']} | {service['seconds']:.1f} | "
        f"{service['documents'] / service['seconds'] * 60:.1f} | {service['pages'] / service['seconds']:.2f} |\n"
        f"| batch | {service['documents']} | {service['pages']} | {batch['seconds']:.1f} | "
        f"{service['documents'] / batch['seconds'] * 60:.1f} | {service['pages'] / batch['seconds']:.2f} |\n\n"
        f"`GET /v1/documents/{{id}}` while the workers were busy: p50 {service['p50_ms']:.1f} ms, p95 "
        f"{service['p95_ms']:.1f} ms ({service['gets']} requests).\n\n"
        f"Peak resident memory: server {service['server_peak_mib']:.0f} MiB, largest worker "
        f"{service['worker_peak_mib']:.0f} MiB.\n\nBatch: {batch['summary']}\n"
    )
    if args.guideline:
        one = run_service(args.clinex, [args.guideline], 1, 1, threads=1)
        report += (
            f"\nOne worker on `{os.path.basename(args.guideline)}` ({one['pages']} pages, {one['seconds']:.1f} s): "
            f"peak resident memory {one['worker_peak_mib']:.0f} MiB (server {one['server_peak_mib']:.0f} MiB).\n"
        )
        service["failed"] += one["failed"]
    if service["failed"]:
        report += "\nFailures:\n" + "\n".join(f"- {f}" for f in service["failed"]) + "\n"
    print(report)
    if args.out:
        with open(args.out, "w") as f:
            f.write(report)


if __name__ == "__main__":
    main()
