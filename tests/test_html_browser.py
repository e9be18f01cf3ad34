"""The HTML reports as a browser shows them: on a phone, a tablet, a desktop and on paper."""

from __future__ import annotations

import pytest

from browser import browser  # noqa: F401 (a fixture)
from conftest import SPEC_2024
from test_cli import nhnprice

WIDTHS = (360, 768, 1400, 1600)


@pytest.fixture(scope="module")
def report_page(browser, tmp_path_factory):
    """The 2024 report, opened once (it has 8 130 entity rows: loading it is most of the time)."""
    path = tmp_path_factory.mktemp("html") / "r.html"
    proc = nhnprice("report", str(SPEC_2024), "--format", "html", "-o", str(path))
    assert proc.returncode == 0, proc.stderr
    browser.open(path.as_uri(), 1400)
    return browser


def test_the_script_ran(report_page):
    assert report_page.run("return document.getElementById('count').textContent") == "8130 / 8130"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_report_never_scrolls_sideways_and_its_labels_are_readable(report_page, width):
    report_page.resize(width)
    assert report_page.overflow() <= 0, f"the page is {report_page.overflow()} px wider than a {width} px screen"
    assert report_page.smallest_label() >= 10  # the picture for this width: the narrow one below 900 px


def test_wide_tables_scroll_in_their_own_box_on_a_phone(report_page):
    report_page.resize(360)
    boxes = report_page.run("""return Array.from(document.querySelectorAll('div.scroll')).map(function (d) {
        return [d.scrollWidth > d.clientWidth, d.getBoundingClientRect().right <= window.innerWidth]; });""")
    assert boxes and all(fits for _, fits in boxes) and any(scrolls for scrolls, _ in boxes)


def test_printed_the_summary_comes_first_on_a_few_landscape_pages(report_page):
    report_page.resize(1400)
    assert 1 <= report_page.print_pages() <= 8  # the entity table is printed only when searched


@pytest.mark.parametrize("command", [["explain", str(SPEC_2024), "0301"],
                                     ["diff", str(SPEC_2024), str(SPEC_2024), "--set", "prisjustering=4%"]])
def test_explain_and_diff_pages_fit_a_phone(browser, tmp_path, command):
    path = tmp_path / "page.html"
    proc = nhnprice(*command, "--format", "html", "-o", str(path))
    assert proc.returncode == 0, proc.stderr
    for width in (360, 1400):
        browser.open(path.as_uri(), width)
        assert browser.overflow() <= 0, (command[0], width)
