"""The app in a real browser: Debian's chromium driven by Playwright against a local Streamlit
server started for these tests. Every page is opened by its URL with parameters, driven, checked
for the councils' words, and screenshotted at 1440x900 into tests/artifacts/ for a person to look
at. No request may leave 127.0.0.1: the app and its components use only bundled assets."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlparse
from pathlib import Path

import pytest

from kg import queries

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from chromium import ARGS, CHROMIUM  # noqa: E402

ARTIFACTS = ROOT / "tests" / "artifacts"
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
VIEWPORT = {"width": 1440, "height": 900}

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="Debian chromium is not at /usr/bin/chromium (apt-get install -y chromium; make test does it)",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(data_dir, tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    env = {**os.environ, "PERMANENCE_KG_DATA": str(data_dir)}
    command = [
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
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"streamlit did not start: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.3)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            args=ARGS,
            viewport=VIEWPORT,
        )
        yield context
        context.close()


@pytest.fixture(scope="module")
def requests_made() -> list[str]:
    return []


@pytest.fixture
def page(browser, server, requests_made):
    page = browser.new_page()
    page.on("request", lambda request: requests_made.append(request.url))
    page.set_default_timeout(45_000)
    page.base = server
    yield page
    page.close()


def settle(page) -> None:
    """Wait until Streamlit has finished its run (no running indicator, no skeletons)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.querySelector('[data-testid=\"stSkeleton\"]')"
    )
    page.wait_for_timeout(400)


def visit(page, path: str, heading: str) -> None:
    page.goto(f"{page.base}/{path}")
    page.get_by_role("heading", name=heading).first.wait_for()
    settle(page)


def shot(page, name: str) -> Path:
    """What a person sees at 1440x900, and the whole page below it."""
    settle(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    height = page.evaluate(
        "() => Math.max(...['stMain', 'stAppViewContainer']"
        '.map(id => document.querySelector(`[data-testid="${id}"]`))'
        ".filter(Boolean).map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": 1440, "height": min(int(height) + 40, 20_000)})
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / f"{name}-full.png"), full_page=True)
    page.set_viewport_size(VIEWPORT)
    return path


def choose(page, label: str, option: str) -> None:
    """Pick an option in a Streamlit selectbox found by its label."""
    box = page.get_by_label(label, exact=True)
    box.scroll_into_view_if_needed()
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def test_root_opens_the_overview(page):
    visit(page, "", "Permanence guidance of five councils")
    assert urlparse(page.url).path == "/overview"  # its query string keeps the councils shown
    page.get_by_text("Cumbria County Council was abolished on 1 April 2023").first.wait_for()
    page.get_by_text("it is not legal advice").first.wait_for()
    page.locator(
        "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg"
    ).first.wait_for()
    page.get_by_text("How the document presents it").first.wait_for()  # the heatmap's legend
    shot(page, "01-overview")
    page.get_by_role("link", name="Read the document").first.click()
    page.get_by_role("heading", name="Sources").wait_for()
    assert "/sources?council=" in page.url


def test_council_by_council(page):
    visit(
        page,
        "councils?subject=special-guardianship-order&councils=dorset,medway,north-somerset",
        "Council by council",
    )
    page.get_by_text("Anyone, including the child, who has the leave of the court to apply.").first.wait_for()
    page.get_by_text("divergence").first.wait_for()
    page.get_by_text("The law (our reading).").first.wait_for()
    shot(page, "02-councils")
    choose(page, "Kind of statement", "parental responsibility statement")
    page.wait_for_url(re.compile(r"kind=parental-responsibility"))
    # Quotes link to their place in the document, opened in this tab.
    link = page.get_by_role("link", name="in the document →").first
    assert link.get_attribute("href").startswith("sources?council=")
    assert link.get_attribute("target") == "_self"
    link.click()
    page.wait_for_url(re.compile(r"/sources\?council=.*&start=\d+&end=\d+"))
    page.locator("#pk-target").wait_for()


def test_a_childs_options(page):
    visit(page, "child?age=1&weight=legal-security%3D2", "A child's options")
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for()
    page.get_by_role("heading", name="Ordering for the themes you weighed").wait_for()
    page.get_by_text("Infants under 2 years of age").first.wait_for()
    shot(page, "03-child")
    choose(page, "Option", "Special guardianship")
    page.wait_for_url(re.compile(r"option=special-guardianship(&|$)"))


def test_who_can_apply(page):
    visit(
        page,
        "who-can-apply?order=child-arrangements-order&relationship=relative&lived-with=14m",
        "Who can apply",
    )
    page.get_by_text("The law — our reading").wait_for()
    page.get_by_text("Our reading of the statute, not any council's words.").wait_for()
    page.locator("a[href*='legislation.gov.uk/ukpga/1989/41']").first.wait_for()
    shot(page, "04-who-can-apply")
    choose(page, "The person is the child's", "Parent")
    page.wait_for_url(re.compile(r"relationship=parent"))
    assert "lived-with=14m" in page.url


def test_routes_out_of_care(page):
    visit(page, "routes?from=care-order", "Routes out of care")
    page.frame_locator("iframe[title*='st_cytoscape']").locator("canvas").first.wait_for()
    page.get_by_text("Care order → Special guardianship order").first.wait_for()
    shot(page, "05-routes")
    choose(page, "Step", "Care order → Special guardianship order")
    page.wait_for_url(re.compile(r"step=care-order--special-guardianship-order"))
    page.get_by_text("The law (our reading):").first.wait_for()
    page.get_by_text("will automatically discharge").first.wait_for()


def test_graph_explorer_draws_and_recentres(page):
    visit(page, "graph?node=opt:adoption&depth=1", "Graph explorer")
    frame = page.frame_locator("iframe[title*='st_cytoscape']")
    frame.locator("canvas").first.wait_for()
    page.get_by_role("heading", name="Adoption", exact=True).wait_for()
    page.get_by_text("Definition (ours):").wait_for()
    shot(page, "06-graph")
    page.get_by_role("button", name=re.compile(r"→ Adoption order$")).first.click()
    settle(page)
    page.get_by_role("heading", name="Adoption order", exact=True).wait_for()
    assert "node=ord%3Aadoption-order" in page.url or "node=ord:adoption-order" in page.url


def test_sources_opens_at_a_linked_quote(page, data_dir):
    row = queries.run(
        "keyword-search", data=str(data_dir), keyword="There is no right to an assessment"
    ).records()[0]
    visit(page, f"sources?council={row['council']}&start={row['start']}&end={row['end']}", "Sources")
    target = page.locator("#pk-target")
    target.wait_for()
    assert row["quote"].startswith(target.inner_text().strip()[:20])
    box = page.locator(".pk-document").locator(
        "xpath=ancestor::*[contains(@data-testid,'stVerticalBlock')][1]"
    )
    assert box.count() >= 1
    # The quote was scrolled into view inside the document's box.
    assert page.evaluate(
        "() => { const t = document.getElementById('pk-target'); const r = t.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight + 2000; }"
    )
    shot(page, "07-sources")


def test_ontology_pages_and_pylode_documentation(page):
    visit(page, "ontology?view=schemes&scheme=route", "Ontology")
    page.get_by_text("Application routes", exact=False).first.wait_for()
    shot(page, "08-ontology-schemes")
    visit(page, "ontology?view=hierarchy", "Ontology")
    page.get_by_text("pk:Statement").first.wait_for()
    shot(page, "08-ontology")
    visit(page, "ontology?view=documentation", "Ontology")
    docs = page.frame_locator("iframe[title='st.iframe'], iframe[srcdoc]").first
    docs.get_by_text("permanence-kg ontology").first.wait_for()
    shot(page, "08-ontology-docs")


def test_sparql_workbench_runs_library_and_own_queries(page):
    visit(page, "sparql?name=who-can-apply&council=dorset", "SPARQL workbench")
    page.get_by_text("permanence-kg query who-can-apply").wait_for()
    page.frame_locator("iframe[title*='streamlit_ace']").locator(".ace_keyword").first.wait_for()
    page.get_by_role("heading", name="rows").first.wait_for()
    page.get_by_role("button", name="Download CSV").wait_for()
    shot(page, "09-sparql-library")
    visit(page, "sparql?query=SELECT%20*%20WHERE%20%7B%20%3Fs%20foo%3Abar%20%3Fo%20%7D", "SPARQL workbench")
    page.get_by_text("unknown prefix 'foo:' at line 1, column 21").wait_for()
    editor = page.frame_locator("iframe[title*='streamlit_ace']")
    editor.locator(".ace_error").first.wait_for()  # the error marked in the editor's gutter
    editor.locator(".ace_content").click()
    page.keyboard.press("Control+A")
    page.keyboard.type("SELECT ?council WHERE { ?c a pk:Council ; pk:councilId ?council }")
    page.keyboard.press("Control+Enter")
    # The applied text reaches the app (and its URL) before Run is pressed.
    page.wait_for_function("() => decodeURIComponent(location.search).includes('councilId')")
    settle(page)
    page.get_by_role("button", name="Run").click()
    settle(page)
    page.get_by_role("heading", name="5 rows").wait_for()
    shot(page, "09-sparql")


def test_no_request_leaves_the_machine(requests_made):
    assert requests_made, "the browser tests made no requests"
    outside = sorted({u for u in requests_made if not u.startswith(LOCAL)})
    assert not outside, f"requests left 127.0.0.1: {outside}"
