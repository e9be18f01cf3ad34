"""Shared fixtures. `pytest --update-golden` rewrites the expected files of
tests/good and tests/bad; review the change with `git diff` before committing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
SPEC_2024 = ROOT / "specs" / "2024.nhp"

try:  # the hypothesis profiles: `fast` (plain pytest: derandomised, bounded) and `thorough` (deep runs)
    from hypothesis import HealthCheck, settings

    settings.register_profile("fast", max_examples=60, derandomize=True, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile("thorough", max_examples=1000, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow])
    # `HYPOTHESIS_PROFILE=thorough pytest` for a deep run; plain `pytest` (and CI) stays fast
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))
except ImportError:  # pragma: no cover
    pass


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite the golden files of tests/good and tests/bad instead of comparing")


@pytest.fixture
def golden(request):
    """Compare text with a golden file, or rewrite it under --update-golden."""
    update = request.config.getoption("--update-golden")

    def compare(path: Path, actual: str) -> None:
        if update:
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"{path} is missing: run pytest --update-golden and review the diff"
        assert actual == path.read_text(encoding="utf-8"), f"{path} differs: run pytest --update-golden to see the diff"

    return compare


@pytest.fixture
def in_tests_dir(monkeypatch):
    """Run with tests/ as the working directory, so paths in messages are short and stable."""
    monkeypatch.chdir(TESTS)
    return TESTS


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory):
    """Every test run gets its own nhnprice cache (cache.py), empty at the start, so
    no test reads what a developer's own runs left behind; subprocesses inherit it."""
    saved = os.environ.get("NHNPRICE_CACHE_DIR")
    os.environ["NHNPRICE_CACHE_DIR"] = str(tmp_path_factory.mktemp("nhnprice-cache"))
    yield
    if saved is None:
        os.environ.pop("NHNPRICE_CACHE_DIR", None)
    else:
        os.environ["NHNPRICE_CACHE_DIR"] = saved


@pytest.fixture(autouse=True, scope="session")
def norwegian_by_default():
    """The tests read Norwegian output (the default) whatever the locale of the machine running them,
    and whole tables whatever the width of its terminal; subprocesses inherit both."""
    saved = {k: os.environ.get(k) for k in ("NHNPRICE_LANG", "COLUMNS")}
    os.environ["NHNPRICE_LANG"] = "nb"
    os.environ.pop("COLUMNS", None)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(autouse=True, scope="session")
def shared_test_data():
    """The specs of tests/good and tests/bad share tests/data, beside their folders, and specs the
    tests write elsewhere read specs/data: both allowed for every test (a spec reads only from its
    own folder unless allowed more, see files.py; test_hostile.py checks that)."""
    saved = os.environ.get("NHNPRICE_ALLOW_DATA_DIRS")
    os.environ["NHNPRICE_ALLOW_DATA_DIRS"] = os.pathsep.join([str(TESTS / "data"), str(ROOT / "specs" / "data")])
    yield
    if saved is None:
        os.environ.pop("NHNPRICE_ALLOW_DATA_DIRS", None)
    else:
        os.environ["NHNPRICE_ALLOW_DATA_DIRS"] = saved
