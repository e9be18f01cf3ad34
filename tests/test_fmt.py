"""`nhnprice fmt`: canonical, meaning-preserving, comment-preserving, never writes a broken file.

The properties (idempotence and round trip over generated nodes) are in test_properties.py.
"""

from __future__ import annotations

from conftest import SPEC_2024, TESTS
from test_cli import nhnprice

from nhnprice.formatter import format_source as format_text
from nhnprice.syntax import parse

MESSY = """# head


title "t"  # trailing title
year 2024
group g "G" by k
key k { # open
  weight w # the weight
  # the file
  file "x.csv"
  id i
}
pool p {
  g 1/2 { half
    # before the second half
    half }
  # costs are before the price adjustment
  cost 17 mill
  g rest
} # after pool
# the end
"""

CANONICAL = """# head

title "t"  # trailing title
year 2024

group g "G" by k

key k {  # open
  # the file
  file "x.csv"
  id i
  weight w  # the weight
}

pool p {
  # costs are before the price adjustment
  cost 17.0 mill
  g 1/2 {
    half
    # before the second half
    half
  }
  g rest
}  # after pool

# the end
"""


def test_fmt_orders_fields_and_keeps_every_comment_with_its_line():
    text, diagnostics = format_text(MESSY, "m.nhp")
    assert diagnostics == []
    assert text == CANONICAL
    assert parse(text, "c")[0] == parse(MESSY, "m")[0]
    assert format_text(text, "c.nhp")[0] == text


def test_the_2024_spec_is_canonical():
    proc = nhnprice("fmt", "--check", str(SPEC_2024))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == ""


def test_check_shows_a_unified_diff_and_exits_1_without_writing(tmp_path):
    spec = tmp_path / "s.nhp"
    spec.write_text(MESSY, encoding="utf-8")
    proc = nhnprice("fmt", "--check", str(spec))
    assert proc.returncode == 1
    assert proc.stdout.startswith(f"--- {spec} (as written)\n+++ {spec} (canonical)\n@@")
    assert "+  cost 17.0 mill\n" in proc.stdout and "-  cost 17 mill\n" in proc.stdout
    assert spec.read_text(encoding="utf-8") == MESSY


def test_fmt_rewrites_in_place_and_then_check_passes(tmp_path):
    spec = tmp_path / "s.nhp"
    spec.write_text(MESSY, encoding="utf-8")
    proc = nhnprice("fmt", str(spec))
    assert proc.returncode == 0 and f"reformatted {spec}" in proc.stderr
    assert spec.read_text(encoding="utf-8") == CANONICAL
    assert nhnprice("fmt", "--check", str(spec)).returncode == 0
    assert list(tmp_path.iterdir()) == [spec]  # no temporary file left behind


def test_a_file_with_a_syntax_error_is_reported_and_left_untouched(tmp_path):
    broken = (TESTS / "bad" / "syntax_error.nhp").read_text(encoding="utf-8")
    spec = tmp_path / "broken.nhp"
    spec.write_text(broken, encoding="utf-8")
    proc = nhnprice("fmt", str(spec))
    assert proc.returncode == 1
    assert "E001" in proc.stderr and "^" in proc.stderr and "Traceback" not in proc.stderr
    assert spec.read_text(encoding="utf-8") == broken


def test_a_missing_file_is_an_error_not_a_traceback(tmp_path):
    proc = nhnprice("fmt", str(tmp_path / "nope.nhp"))
    assert proc.returncode == 1 and "no such spec file" in proc.stderr
