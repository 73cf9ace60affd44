"""Debian's chromium as the project drives it headless through Playwright: one place for the binary
and its flags, read by the browser tests (tests/browser) and the page benchmark (app_pages.py)."""

CHROMIUM = "/usr/bin/chromium"
# No sandbox: the tests run as root in a container. No background traffic: the app must work, and
# be measured, with no network.
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
