"""Headless Chromium for the tests of the HTML reports, driven by Selenium.

Debian's `chromium` and `chromium-driver` (`.ci/run` installs them when they are
missing). Without them a test fails, it does not skip: only outside CI (CI not
`true`) may a developer's machine without a browser skip these tests.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ARGUMENTS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync")


def _missing() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.path.exists(path):
            return f"{path} is missing: apt-get install -y chromium chromium-driver"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is missing: pip install '.[test]'"
    return None


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the session, with a fresh profile; `size(width)` sets the viewport."""
    problem = _missing()
    if problem is not None:
        if os.environ.get("CI") != "true":
            pytest.skip(problem)
        pytest.fail(problem)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="nhnprice-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ARGUMENTS + (f"--user-data-dir={profile}",):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield Browser(driver)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


class Browser:
    def __init__(self, driver):
        self.driver = driver

    def open(self, uri: str, width: int, height: int = 800) -> None:
        """The page at a viewport of `width` CSS pixels."""
        self.resize(width, height)
        self.driver.get(uri)

    def resize(self, width: int, height: int = 800) -> None:
        """The open page laid out again for a viewport of `width` CSS pixels."""
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        self.run("return document.body.offsetWidth")  # lay the page out before anything is measured

    def run(self, script: str):
        return self.driver.execute_script(script)

    def overflow(self) -> int:
        """How far the page reaches beyond the viewport sideways, in CSS pixels (0: it fits)."""
        return self.run("return document.documentElement.scrollWidth - window.innerWidth")

    def smallest_label(self) -> float:
        """The smallest rendered font size of the visible picture's labels, in CSS pixels."""
        return self.run("""
            var least = 1e9, n = 0;
            document.querySelectorAll('svg text').forEach(function (t) {
              if (!t.getClientRects().length) return;
              var m = t.getScreenCTM();
              least = Math.min(least, parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b)); n++;
            });
            return n ? least : -1;""")

    def print_pages(self) -> int:
        """How many A4 pages printing the page gives (Chromium's own PDF)."""
        import base64

        pdf = base64.b64decode(self.driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
        return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
