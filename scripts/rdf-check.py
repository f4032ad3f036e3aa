"""Parses RDF files with rdflib, an RDF library independent of the Rust one clinex writes with.

Usage: rdf-check.py FILE...   (format from the extension: .nt .ttl .nq .jsonld)
Prints one JSON object: {file: {"statements": n, "graphs": [graph names]}} or {"error": "..."}.
Exits 1 when any file fails to parse.
"""

import json
import sys

import rdflib

FORMATS = {".nt": "nt", ".ttl": "turtle", ".nq": "nquads", ".jsonld": "json-ld"}


def check(path: str) -> dict:
    ext = path[path.rfind(".") :]
    fmt = FORMATS[ext]
    ds = rdflib.Dataset()
    with open(path, "rb") as f:
        ds.parse(f, format=fmt, publicID="https://w3id.org/clinex/")
    quads = list(ds.quads((None, None, None, None)))
    graphs = sorted({str(g) for *_, g in quads if g is not None and str(g) != str(rdflib.graph.DATASET_DEFAULT_GRAPH_ID)})
    return {"statements": len(quads), "graphs": graphs}


def main() -> int:
    out, failed = {}, False
    for path in sys.argv[1:]:
        try:
            out[path] = check(path)
        except Exception as e:  # noqa: BLE001 - every parse failure is reported, none hidden
            out[path] = {"error": f"{type(e).__name__}: {e}"}
            failed = True
    json.dump(out, sys.stdout, ensure_ascii=False)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
