"""What `nhnprice verify` found: a summary for people and JUnit XML for CI dashboards."""

from __future__ import annotations

from nhnprice.verify import INVARIANTS


def junit_xml(spec: str, report) -> str:
    """One JUnit test case per invariant, for CI dashboards."""
    from xml.etree import ElementTree as ET

    suite = ET.Element("testsuite", name=f"nhnprice verify {spec}", tests=str(len(INVARIANTS)),
                       failures=str(len(report.failures)), errors="0", skipped="0")
    properties = ET.SubElement(suite, "properties")
    for name, value in (("seed", report.seed), ("examples", report.examples),
                        ("refusals", sum(report.refusals.values()))):
        ET.SubElement(properties, "property", name=name, value=str(value))
    for name in INVARIANTS:
        case = ET.SubElement(suite, "testcase", classname="nhnprice.verify", name=name)
        failure = report.failures.get(name)
        if failure is not None:
            node = ET.SubElement(case, "failure", message=failure.violations[0].message,
                                 type="counterexample")
            node.text = "\n".join(counterexample_lines(failure))
        else:
            ET.SubElement(case, "system-out").text = f"held on {report.checked.get(name, 0)} data sets"
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
    lines = []
    for name in INVARIANTS:
        failure = report.failures.get(name)
        if failure is None:
            lines.append(f"  ok      {name} (held on {report.checked.get(name, 0)} data sets)")
        else:
            lines.append(f"  FAILED  {name}: counterexample (shrunk):")
            lines += ["  " + line for line in counterexample_lines(failure)]
    refused = sum(report.refusals.values())
    if refused:
        lines.append(f"  refused {refused} data set{'s' * (refused != 1)} with the spec's own errors "
                     "(not failures):")
        for code, count in sorted(report.refusals.items()):
            lines.append(f"    {code} ×{count}: {report.refusal_messages[code]}")
    verdict = "ok" if report.ok else f"{len(report.failures)} of {len(INVARIANTS)} invariants broken"
    lines.append(f"{spec}: {verdict}: {report.examples} data sets, seed {report.seed} "
                 f"(`--seed {report.seed}` repeats this run)")
    return lines
