"""What `nhnprice verify` found, for people and for machines: the derived bounds and each invariant's verdict.

The summary on the terminal and the JUnit file (in `cli_verify`) and the JSON
document here say the same things: for each invariant whether it held, was
proved by exact bounds, or broke (with a counterexample from the search or
the exact bound that breaks it), and every bound derived from the spec.
"""

from __future__ import annotations

import json

#: how a bound is marked: it holds for all data varied, it is broken, or it is broken but declared
_MARK = {"ok": "ok", "failed": "FAILED", "info": "info"}


def bound_status(bound) -> str:
    if not bound.broken:
        return "ok"
    return "info" if bound.allowed else "failed"


def bound_lines(report) -> list[str]:
    """The bounds section of the summary: one entry per bound, with a counterexample's data when broken."""
    if not report.bounds:
        return []
    lines = ["  bounds derived from the spec (exact; `proved` ones for every value verify varies):"]
    for b in report.bounds:
        proved = "proved" if b.proved else "one input at a time"
        lines.append(f"    {_MARK[bound_status(b)]:<7} {b.invariant} ({proved}): {b.text}")
        if b.broken and b.data:
            lines.append(f"            first with the data: {'; '.join(b.data)}")
    return lines


def invariant_line(report, name: str) -> str | None:
    """The verdict of an invariant the search did not break: None when it failed by its bounds (see
    `failed_by_bound`)."""
    if name in report.failures:
        return None
    failing = [b for b in report.bounds if b.invariant == name and b.failure]
    if failing:
        return None
    held = f"held on {report.checked.get(name, 0)} data sets"
    if report.proved(name):
        how = "by the bounds above" if any(b.invariant == name for b in report.bounds) else \
            "nothing in the data can break it"
        return f"  ok      {name} (proved: {how}; searched too, {held})"
    return f"  ok      {name} (searched only: {held})"


def failed_by_bound(report, name: str, searched: bool = True) -> list[str]:
    """The lines of an invariant broken by a derived bound; with `searched`, only when the search did
    not also break it (its counterexample is printed instead)."""
    if searched and name in report.failures:
        return []
    failing = [b for b in report.bounds if b.invariant == name and b.failure]
    if not failing:
        return []
    lines = [f"  FAILED  {name}: broken beyond an exact bound (derived from the spec):"]
    for b in failing:
        lines.append(f"    {b.text}")
        if b.data:
            lines.append("    with the data:")
            lines += [f"      {line}" for line in b.data]
    return lines


def verdict(spec: str, report, invariants) -> str:
    verdict = "ok" if report.ok else f"{report.broken_count} of {len(invariants)} invariants broken"
    return (f"{spec}: {verdict}: {report.examples} data sets, seed {report.seed} "
            f"(`--seed {report.seed}` repeats this run)")


def json_report(spec: str, report, invariants) -> str:
    """The whole verdict as JSON (docs/verification.md describes it)."""
    from nhnprice.money import fraction_text

    def invariant(name: str) -> dict:
        failure = report.failures.get(name)
        status = "failed" if report.broken(name) else ("proved" if report.proved(name) else "searched")
        return {
            "name": name, "status": status, "held_on": report.checked.get(name, 0),
            "counterexample": None if failure is None else {
                "violations": [v.message for v in failure.violations], "data": list(failure.data)},
        }

    def _number(value):
        if value is None or int(value) == value:
            return None if value is None else int(value)
        return fraction_text(value)

    document = {
        "spec": spec, "ok": report.ok, "seed": report.seed, "examples": report.examples,
        "refusals": dict(sorted(report.refusals.items())),
        "invariants": [invariant(name) for name in invariants],
        "bounds": [{"invariant": b.invariant, "subject": b.subject, "status": bound_status(b),
                    "proved": b.proved, "first": _number(b.first),
                    "text": b.text.replace("\u00a0", " "), "data": [d.replace("\u00a0", " ") for d in b.data]}
                   for b in report.bounds],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
