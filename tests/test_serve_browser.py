"""`nhnprice serve` in a real browser: headless Chromium driven by Selenium, as a policy writer uses the page.

Needs Debian's `chromium` and `chromium-driver` (.ci/run installs them): the test fails, never skips,
without them. Every wait is bounded, so a broken page fails the test instead of hanging it.
"""

from __future__ import annotations

import shutil
import tempfile
import time

import pytest

from serve_support import Served

WAIT_S = 20
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1400,1000"]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """One Chromium for the module's tests (starting it is most of their time), with a fresh profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    assert chromium and driver_path, "the browser tests need Chromium: apt-get install chromium chromium-driver"
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="nhnprice-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    downloads = tmp_path_factory.mktemp("downloads")
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    try:
        driver.set_page_load_timeout(WAIT_S)
        driver.set_script_timeout(WAIT_S)
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        driver.downloads = downloads
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


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


def test_a_policy_writer_edits_the_2024_spec_in_the_browser(browser, served, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    original = served.spec.read_bytes()
    browser.get(served.server.url)
    wait(browser, settled, "the page shows the figures of the 2024 spec")
    assert "1 077,3 mill. kroner i alt" in text_of(browser, "#status").replace("\u00a0", " ")
    assert "Helsenettet" in text_of(browser, "#summary") and browser.find_element(By.CSS_SELECTOR, "#flows svg")
    assert text_of(browser, "#checks li.ok").count("forventet") == 15

    # a new pool at the end of the spec, with the municipalities' group misspelled
    content = browser.find_element(By.CSS_SELECTOR, ".cm-content")
    content.click()
    content.send_keys(Keys.CONTROL, Keys.END)
    lines_before = served.spec.read_text(encoding="utf-8").count("\n")
    content.send_keys(Keys.ENTER, 'pool test "Testløsning" {', Keys.ENTER, "cost 10 mill", Keys.ENTER,
                      "komuner 100 %", Keys.ENTER, "}")
    typo_line = lines_before + 4
    problem = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#problems li[data-code=E102]"),
                   "the misspelled group is reported")[0]
    assert problem.get_attribute("data-line") == str(typo_line)
    assert "komuner" in problem.text and "kommuner" in problem.text  # did you mean
    marked = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".cm-lintRange-error"), "an inline mark")
    assert marked[0].text == "komuner"
    assert browser.execute_script("const view = window.nhnprice.editor.view;"
                                  "return view.state.doc.lineAt(view.posAtDOM(arguments[0])).number", marked[0]) \
        == typo_line
    assert "feil" in text_of(browser, "#status")

    # fixed: a click on the problem puts the cursor on the word; the table gets the new pool
    problem.click()
    content.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, "m")
    wait(browser, lambda d: settled(d) and "Testløsning" in text_of(d, "#summary"), "the table shows the new pool")
    assert not browser.find_elements(By.CSS_SELECTOR, "#problems li")
    assert "1 087,3 mill. kroner i alt" in text_of(browser, "#status").replace("\u00a0", " ")

    # prisjustering 4 %: the amounts and what the fee is measured against change
    fees_before, summary_before = text_of(browser, "#fees"), text_of(browser, "#summary")
    browser.find_element(By.ID, "param-prisjustering").send_keys("4 %")
    wait(browser, lambda d: settled(d) and text_of(d, "#fees") != fees_before, "the fee line changes")
    assert text_of(browser, "#summary") != summary_before
    assert "Prisjustering (§ 17) 4 %" in text_of(browser, "#adjustment")
    text = browser.execute_script("return window.nhnprice.editor.text()")
    _, view = served.post("/api/view", {"text": text, "parameters": {"prisjustering": "4 %"}})
    total = view["total"].replace("\u00a0", " ")
    assert total != "1 087,3" and f"{total} mill. kroner i alt" in text_of(browser, "#status").replace("\u00a0", " ")

    # a key with a bad weight is refused with its row and column
    rows = (served.folder / "data/2024/kommunehelse.csv").read_text(encoding="utf-8").splitlines()
    rows[3] = rows[3].rsplit(",", 1)[0] + ",12x"
    bad = tmp_path / "kommunehelse-ny.csv"
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    browser.find_element(By.ID, "upload-kommunehelse").send_keys(str(bad))
    error = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#upload-problems li[data-code=D008]"),
                 "the bad weight is reported")[0]
    assert error.get_attribute("data-line") == "4" and "rad 4, kolonne" in error.text and "12x" in error.text
    assert "data/2024/kommunehelse.csv" in text_of(browser, "#file-kommunehelse")  # still the declared file

    # a payer explained
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#entities tbody tr"), "the payers are listed")
    browser.find_element(By.ID, "entity-query").send_keys("Oslo")
    row = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#entities tr[data-entity='0301']"), "Oslo")[0]
    row.click()
    wait(browser, lambda d: "Oslo (0301) betaler" in text_of(d, "#explain-text"), "Oslo's explanation")

    # the workbook of what the page shows
    browser.find_element(By.CSS_SELECTOR, "button[data-format=xlsx]").click()
    workbook = browser.downloads / "2024.xlsx"
    wait(browser, lambda d: workbook.exists() and not list(browser.downloads.glob("*.crdownload")),
         "the workbook is downloaded")
    time.sleep(0.2)
    from openpyxl import load_workbook

    cells = [c for ws in load_workbook(workbook, read_only=True) for row in ws.iter_rows(values_only=True)
             for c in row if c is not None]
    assert "Testløsning" in cells

    assert served.spec.read_bytes() == original  # nothing was saved without Lagre
    browser.find_element(By.ID, "save").click()
    wait(browser, lambda d: "Lagret" in text_of(d, "#state"), "saved")
    assert "komuner" not in served.spec.read_text(encoding="utf-8")
    assert 'pool test "Testløsning"' in served.spec.read_text(encoding="utf-8")


def test_the_page_keeps_working_offline_with_nothing_from_elsewhere(browser, served):
    """Every resource the page loads comes from the server itself."""
    browser.get_log("browser")  # what earlier tests left (reading the log empties it)
    browser.get(served.server.url)
    wait(browser, settled, "the page shows the figures")
    urls = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    origin = f"http://127.0.0.1:{served.port}/"
    assert urls and all(u.startswith(origin) for u in urls), urls
    assert browser.current_url == origin  # the token is out of the address bar (and history)
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]

