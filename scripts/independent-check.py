"""Checks clinex's outputs with libraries independent of the Rust code that writes them.

Usage:
  independent-check.py rdf FILE...    parse RDF with rdflib (format from the extension: .nt .ttl
                                      .nq .jsonld): {file: {"statements": n, "graphs": [...]}}
  independent-check.py fhir FILE...   validate FHIR PlanDefinitions with fhir.resources (pydantic
                                      models of FHIR R4B, whose PlanDefinition is R4's), plus the
                                      value sets FHIR binds as required that the models do not
                                      check (status, relatedAction.relationship, condition.kind):
                                      {file: {"actions": n}}
A file that fails gets {"error": "..."}; the exit status is 1 when any fails.
"""

import json
import sys

import rdflib
from fhir.resources.R4B.plandefinition import PlanDefinition

FORMATS = {".nt": "nt", ".ttl": "turtle", ".nq": "nquads", ".jsonld": "json-ld"}


def check_rdf(path: str) -> dict:
    ext = path[path.rfind(".") :]
    fmt = FORMATS[ext]
    ds = rdflib.Dataset()
    with open(path, "rb") as f:
        ds.parse(f, format=fmt, publicID="https://w3id.org/clinex/")
    quads = list(ds.quads((None, None, None, None)))
    graphs = sorted({str(g) for *_, g in quads if g is not None and str(g) != str(rdflib.graph.DATASET_DEFAULT_GRAPH_ID)})
    return {"statements": len(quads), "graphs": graphs}


STATUS = {"draft", "active", "retired", "unknown"}
RELATIONSHIP = {
    "before-start", "before", "before-end", "concurrent-with-start", "concurrent",
    "concurrent-with-end", "after-start", "after", "after-end",
}
CONDITION_KIND = {"applicability", "start", "stop"}


def actions(items):
    for a in items or []:
        yield a
        yield from actions(a.action)


def check_fhir(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        plan = PlanDefinition.model_validate(json.load(f))
    problems = []
    if plan.status not in STATUS:
        problems.append(f"status {plan.status}")
    ids = set()
    all_actions = list(actions(plan.action))
    for a in all_actions:
        ids.add(a.id)
    for a in all_actions:
        for r in a.relatedAction or []:
            if r.relationship not in RELATIONSHIP:
                problems.append(f"relationship {r.relationship}")
            if r.actionId not in ids:
                problems.append(f"relatedAction to unknown action {r.actionId}")
        for c in a.condition or []:
            if c.kind not in CONDITION_KIND:
                problems.append(f"condition kind {c.kind}")
    if problems:
        raise ValueError("; ".join(problems))
    return {"actions": len(all_actions)}


CHECKS = {"rdf": check_rdf, "fhir": check_fhir}


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in CHECKS:
        print(__doc__, file=sys.stderr)
        return 2
    check = CHECKS[sys.argv[1]]
    out, failed = {}, False
    for path in sys.argv[2:]:
        try:
            out[path] = check(path)
        except Exception as e:  # noqa: BLE001 - every failure is reported, none hidden
            out[path] = {"error": f"{type(e).__name__}: {e}"}
            failed = True
    json.dump(out, sys.stdout, ensure_ascii=False)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
