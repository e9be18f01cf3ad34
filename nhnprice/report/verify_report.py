"""What `nhnprice verify` found, for people and for machines: the derived bounds and each invariant's verdict.

The summary for the terminal, the JUnit XML for CI dashboards and the JSON
document say the same things: for each invariant whether it held, was proved
by exact bounds, or broke (with a counterexample from the search or the exact
bound that breaks it), and every bound derived from the spec.
"""

from __future__ import annotations

import json
from types import MappingProxyType

from nhnprice.numbers import fraction_text
from nhnprice.verify import INVARIANTS


def junit_xml(spec: str, report) -> str:
    """One JUnit test case per invariant, for CI dashboards; the bounds in the suite's output."""
    from xml.etree import ElementTree as ET

    suite = ET.Element("testsuite", name=f"nhnprice verify {spec}", tests=str(len(INVARIANTS)),
                       failures=str(report.broken_count), errors="0", skipped="0")
    properties = ET.SubElement(suite, "properties")
    for name, value in (("seed", report.seed), ("examples", report.examples),
                        ("refusals", sum(report.refusals.values()))):
        ET.SubElement(properties, "property", name=name, value=str(value))
    for name in INVARIANTS:
        case = ET.SubElement(suite, "testcase", classname="nhnprice.verify", name=name)
        failure = report.failures.get(name)
        derived = failed_by_bound(report, name)
        if failure is not None:
            node = ET.SubElement(case, "failure", message=failure.violations[0].message,
                                 type="counterexample")
            node.text = "\n".join(counterexample_lines(failure) + failed_by_bound(report, name, searched=False))
        elif derived:
            node = ET.SubElement(case, "failure", message=derived[1].strip(), type="bound")
            node.text = "\n".join(derived)
        else:
            how = "proved, " if report.proved(name) else ""
            ET.SubElement(case, "system-out").text = f"{how}held on {report.checked.get(name, 0)} data sets"
    ET.SubElement(suite, "system-out").text = "\n".join(bound_lines(report))
    ET.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"


def counterexample_lines(failure) -> list[str]:
    lines = [f"  {v.message}" for v in failure.violations[:5]]
    if len(failure.violations) > 5:
        lines.append(f"  … and {len(failure.violations) - 5} more")
    lines.append("  with the data:")
    lines += [f"    {line}" for line in failure.data]
    return lines


def summary_lines(spec: str, report, examples: int) -> list[str]:
    lines = bound_lines(report)
    for name in INVARIANTS:
        failure = report.failures.get(name)
        if failure is None:
            lines += failed_by_bound(report, name) or [invariant_line(report, name)]
        else:
            lines.append(f"  FAILED  {name}: counterexample (shrunk):")
            lines += ["  " + line for line in counterexample_lines(failure)]
    refused = sum(report.refusals.values())
    if refused:
        lines.append(f"  refused {refused} data set{'s' * (refused != 1)} with the spec's own errors "
                     "(not failures):")
        for code, count in sorted(report.refusals.items()):
            lines.append(f"    {code} ×{count}: {report.refusal_messages[code]}")
    lines.append(verdict(spec, report))
    return lines


def declared_data_fails_lines(spec: str, report) -> list[str]:
    """When the declared data already fails `check`: the spec's bounds (where it would hold), and why
    nothing was searched."""
    return (bound_lines(report) if report is not None else []) + [f"{spec}: the declared data does not pass `nhnprice check` (above): "
                                  "not searched"]

#: how a bound is marked: it holds for all data varied, it is broken, or it is broken but declared
_MARK = MappingProxyType({"ok": "ok", "failed": "FAILED", "info": "info"})


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


def verdict(spec: str, report) -> str:
    verdict = "ok" if report.ok else f"{report.broken_count} of {len(INVARIANTS)} invariants broken"
    return (f"{spec}: {verdict}: {report.examples} data sets, seed {report.seed} "
            f"(`--seed {report.seed}` repeats this run)")


def json_report(spec: str, report) -> str:
    """The whole verdict as JSON (docs/verification.md describes it)."""
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
        "invariants": [invariant(name) for name in INVARIANTS],
        "bounds": [{"invariant": b.invariant, "subject": b.subject, "status": bound_status(b),
                    "proved": b.proved, "first": _number(b.first),
                    "text": b.text.replace("\u00a0", " "), "data": [d.replace("\u00a0", " ") for d in b.data]}
                   for b in report.bounds],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
