"""The sweep's fast path: evaluating only pool, group and fee figures must give
exactly the figures, and the refusals, of the full evaluation."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from conftest import TESTS
from nhnprice.evaluate import evaluate
from nhnprice.pipeline import compile_file, load_data

ROOT = Path(__file__).resolve().parent.parent


def _figures(result):
    return (
        [(p.id, p.cost_ore, p.collected_ore, p.residual_ore) for p in result.pools],
        [(g.pool, g.group, g.amount_ore, g.quota, g.before_adjustment_ore) for g in result.groups],
        [(f.group, f.fee_ore_per_month, f.members, f.share_ore, f.collected_ore) for f in result.fees],
        [(c.label, c.actual_ore, c.ok) for c in result.checks],
    )


def _compiled(path):
    graph, found = compile_file(str(path))
    assert graph is not None, found
    tables, found = load_data(graph)
    assert not [d for d in found if d.is_error], found
    return graph, tables


@pytest.mark.parametrize(("spec", "name", "values"), [
    ("specs/2024.nhp", "prisjustering", [Fraction(0), Fraction(4, 100), Fraction(333, 1000)]),
    ("specs/examples/2027-individuelt-medlemskap.nhp", "medlemmer", [1, 5_000, 15_000, 30_000]),
    ("specs/examples/2025-differensiert-ovrige.nhp", None, [None]),
])
def test_group_figures_are_those_of_the_full_evaluation(spec, name, values):
    graph, tables = _compiled(ROOT / spec)
    for value in values:
        overrides = {name: value} if name else None
        full, full_found = evaluate(graph, tables, overrides)
        fast, fast_found = evaluate(graph, tables, overrides, entities=False)
        assert full is not None and fast is not None, (full_found, fast_found)
        assert _figures(fast) == _figures(full)
        assert not fast.allocations and full.allocations


def test_group_only_evaluation_refuses_what_the_full_one_refuses():
    graph, tables = _compiled(TESTS / "bad" / "no_adopters.nhp")
    full, full_found = evaluate(graph, tables)
    fast, fast_found = evaluate(graph, tables, entities=False)
    assert full is None and fast is None
    assert sorted(d.code for d in fast_found) == sorted(d.code for d in full_found) != []
