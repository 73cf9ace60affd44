"""The app in a real browser: Debian's chromium driven by Playwright against a local Streamlit
server. Screenshots go to tests/screenshots/ for a person to look at."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "tests" / "screenshots"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian chromium is not installed (make test installs it)"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(data_dir):
    port = free_port()
    env = {**os.environ, "PERMANENCE_KG_DATA": str(data_dir)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app" / "streamlit_app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start within 60 s")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.requests = []
        page.on("request", lambda request: page.requests.append(request.url))
        page.goto(server)
        page.get_by_text("How each council presents each option").wait_for(timeout=60_000)
        yield page
        browser.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(1500)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_compare_page(page):
    page.get_by_text("Residence order named as a current order").click()
    page.get_by_text("Residence and contact orders were replaced by child arrangements orders").wait_for()
    shot(page, "compare")


def test_option_page(page):
    page.get_by_text("Option trade-offs").click()
    page.get_by_text("Advantages and disadvantages, in the councils' words").wait_for(timeout=30_000)
    page.get_by_text("Age guidance that applies at 6").wait_for(timeout=30_000)
    shot(page, "option")


def test_query_page(page):
    page.get_by_text("Query", exact=True).click()
    page.get_by_text("Ad-hoc SPARQL (read-only)").wait_for(timeout=30_000)
    page.get_by_role("button", name="Run").click()
    page.get_by_text("5 rows from the ad-hoc query").wait_for(timeout=30_000)
    shot(page, "query")


def test_no_request_leaves_the_machine(page):
    assert page.requests
    assert all(
        u.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")) for u in page.requests
    ), [
        u for u in page.requests if not u.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:"))
    ]
