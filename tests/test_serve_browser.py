"""`nhnprice serve` in a real browser: headless Chromium driven by Selenium, as a policy writer uses the page.

Needs Debian's `chromium` and `chromium-driver` (.ci/run installs them; tests/browser.py starts it): in CI the
test fails, never skips, without them. Every wait is bounded, so a broken page fails the test instead of
hanging it.
"""

from __future__ import annotations

import time

import pytest

from browser import browser  # noqa: F401 (a fixture: one headless Chromium for the test session)
from serve_support import Served

WAIT_S = 20


@pytest.fixture(scope="module")
def driver(browser, tmp_path_factory):  # noqa: F811 (the fixture imported above)
    """The session's Chromium, laid out as a laptop's window, with downloads going to a folder of the test."""
    browser.resize(1400, 1000)
    d = browser.driver
    d.set_page_load_timeout(WAIT_S)
    d.set_script_timeout(WAIT_S)
    d.downloads = tmp_path_factory.mktemp("downloads")
    d.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(d.downloads)})
    return d


@pytest.fixture
def served(tmp_path):
    folder = tmp_path / "spec"
    folder.mkdir()
    s = Served(folder)
    yield s
    s.close()


def wait(driver, condition, what: str):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT_S, poll_frequency=0.1).until(lambda d: condition(d), message=what)


def text_of(driver, css: str) -> str:
    from selenium.webdriver.common.by import By

    return " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, css))


def settled(driver) -> bool:
    """The page shows the answer to the newest request (and no request waits in the debounce)."""
    return driver.execute_script("return document.getElementById('status').textContent.startsWith('Oppdatert')")


def test_a_policy_writer_edits_the_2024_spec_in_the_browser(driver, served, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    original = served.spec.read_bytes()
    driver.get(served.server.url)
    wait(driver, settled, "the page shows the figures of the 2024 spec")
    assert "1 077,3 mill. kroner i alt" in text_of(driver, "#status").replace("\u00a0", " ")
    assert "Helsenettet" in text_of(driver, "#summary") and driver.find_element(By.CSS_SELECTOR, "#flows svg")
    expectations = sum(line.strip().startswith("expect ") for line in served.spec.read_text(encoding="utf-8").splitlines())
    assert text_of(driver, "#checks li.ok").count("forventet") == expectations

    # a new pool at the end of the spec, with the municipalities' group misspelled
    content = driver.find_element(By.CSS_SELECTOR, ".cm-content")
    content.click()
    content.send_keys(Keys.CONTROL, Keys.END)
    lines_before = served.spec.read_text(encoding="utf-8").count("\n")
    content.send_keys(Keys.ENTER, 'pool test "Testløsning" {', Keys.ENTER, "cost 10 mill", Keys.ENTER,
                      "komuner 100 %", Keys.ENTER, "}")
    typo_line = lines_before + 4
    problem = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#problems li[data-code=E102]"),
                   "the misspelled group is reported")[0]
    assert problem.get_attribute("data-line") == str(typo_line)
    assert "komuner" in problem.text and "kommuner" in problem.text  # did you mean
    marked = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".cm-lintRange-error"), "an inline mark")
    assert marked[0].text == "komuner"
    assert driver.execute_script("const view = window.nhnprice.editor.view;"
                                  "return view.state.doc.lineAt(view.posAtDOM(arguments[0])).number", marked[0]) \
        == typo_line
    assert "feil" in text_of(driver, "#status")

    # fixed: a click on the problem puts the cursor on the word; the table gets the new pool
    problem.click()
    content.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, "m")
    wait(driver, lambda d: settled(d) and "Testløsning" in text_of(d, "#summary"), "the table shows the new pool")
    assert not driver.find_elements(By.CSS_SELECTOR, "#problems li")
    assert "1 087,3 mill. kroner i alt" in text_of(driver, "#status").replace("\u00a0", " ")

    # prisjustering 4 %: § 17 raises the amounts and the fee (1 570 kr a month becomes 1 633 kr)
    fees_before, summary_before = text_of(driver, "#fees"), text_of(driver, "#summary")
    driver.find_element(By.ID, "param-prisjustering").send_keys("4 %")
    wait(driver, lambda d: settled(d) and text_of(d, "#fees") != fees_before, "the fee line changes")
    assert "1 570,00 kr per medlem" in fees_before.replace("\u00a0", " ")
    assert "1 570,00 kr × 1,04 = 1 633,00 kr per medlem" in text_of(driver, "#fees").replace("\u00a0", " ")
    assert text_of(driver, "#summary") != summary_before
    assert "Prisjustering (§ 17) 4 %" in text_of(driver, "#adjustment")
    text = driver.execute_script("return window.nhnprice.editor.text()")
    _, view = served.post("/api/view", {"text": text, "parameters": {"prisjustering": "4 %"}})
    total = view["total"].replace("\u00a0", " ")
    assert total != "1 087,3" and f"{total} mill. kroner i alt" in text_of(driver, "#status").replace("\u00a0", " ")

    # a key with a bad weight is refused with its row and column
    rows = (served.folder / "data/2024/kommunehelse.csv").read_text(encoding="utf-8").splitlines()
    rows[3] = rows[3].rsplit(",", 1)[0] + ",12x"
    bad = tmp_path / "kommunehelse-ny.csv"
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    driver.find_element(By.ID, "upload-kommunehelse").send_keys(str(bad))
    error = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#upload-problems li[data-code=D008]"),
                 "the bad weight is reported")[0]
    assert error.get_attribute("data-line") == "4" and "rad 4, kolonne" in error.text and "12x" in error.text
    assert "data/2024/kommunehelse.csv" in text_of(driver, "#file-kommunehelse")  # still the declared file

    # a payer explained
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#entities tbody tr"), "the payers are listed")
    driver.find_element(By.ID, "entity-query").send_keys("Oslo")
    row = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#entities tr[data-entity='0301']"), "Oslo")[0]
    row.click()
    wait(driver, lambda d: "Oslo (0301) betaler" in text_of(d, "#explain-text"), "Oslo's explanation")

    # the workbook of what the page shows
    driver.find_element(By.CSS_SELECTOR, "button[data-format=xlsx]").click()
    workbook = driver.downloads / "2024.xlsx"
    wait(driver, lambda d: workbook.exists() and not list(driver.downloads.glob("*.crdownload")),
         "the workbook is downloaded")
    time.sleep(0.2)
    from openpyxl import load_workbook

    cells = [c for ws in load_workbook(workbook, read_only=True) for row in ws.iter_rows(values_only=True)
             for c in row if c is not None]
    assert "Testløsning" in cells

    assert served.spec.read_bytes() == original  # nothing was saved without Lagre
    driver.find_element(By.ID, "save").click()
    wait(driver, lambda d: "Lagret" in text_of(d, "#state"), "saved")
    assert "komuner" not in served.spec.read_text(encoding="utf-8")
    assert 'pool test "Testløsning"' in served.spec.read_text(encoding="utf-8")


def test_the_page_keeps_working_offline_with_nothing_from_elsewhere(driver, served):
    """Every resource the page loads comes from the server itself."""
    driver.get_log("driver")  # what earlier tests left (reading the log empties it)
    driver.get(served.server.url)
    wait(driver, settled, "the page shows the figures")
    urls = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    origin = f"http://127.0.0.1:{served.port}/"
    assert urls and all(u.startswith(origin) for u in urls), urls
    assert driver.current_url == origin  # the token is out of the address bar (and history)
    assert not [e for e in driver.get_log("driver") if e["level"] == "SEVERE"]

