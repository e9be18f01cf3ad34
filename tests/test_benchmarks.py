"""The benchmark is a developer's tool that no test times; it must at least load (a merge once
cut a line of it in half and nothing noticed)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_the_benchmark_loads_and_explains_its_options():
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--help"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "--quick" in proc.stdout and "--json" in proc.stdout
