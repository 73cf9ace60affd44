"""App speed in a real browser: first render of each page and one interaction on it, measured in
Debian's chromium (Playwright) against a local Streamlit server, after the graph is loaded.

"First render" is from navigating a fresh tab to the page's URL (a new Streamlit session) until
the page's last section is on screen and Streamlit has finished its run. "Interaction" is from
using one control on the page until the page has changed and the run has finished. Each page is
first visited once to load the graph and warm the caches every user shares (the targets are for a
server that is already up). Targets: first render < 1.5 s, interaction < 0.5 s.

At national scale: ``--scale 30`` serves the build copied 30 times (scale.py: about every English
council) and writes app_pages-30x.md; the first visits, which load it, are timed too.

Usage: python benchmarks/app_pages.py [--runs N] [--scale N]. Prints a markdown table and writes it
to benchmarks/results/app_pages.md (app_pages-<N>x.md with --scale)."""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any, Callable

from chromium import ARGS, CHROMIUM
from report import publish

ROOT = Path(__file__).resolve().parents[1]
DONE = (
    "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
    " && !document.querySelector('[data-testid=\"stSkeleton\"]')"
    " && !document.querySelector('[data-stale=\"true\"]')"
)
MAIN_TEXT = "() => (document.querySelector('[data-testid=\"stMain\"]') || document.body).innerText"


def choose(label: str, option: str) -> Callable[[Any], None]:
    def act(page: Any) -> None:
        box = page.get_by_label(label, exact=True)
        box.click()
        box.fill(option)
        page.get_by_role("option", name=option, exact=True).click()

    return act


def click(role: str, name: str, exact: bool = True) -> Callable[[Any], None]:
    return lambda page: page.get_by_role(role, name=name, exact=exact).first.click()


# page, URL, text shown last on a full render, the interaction and what it does
PAGES: list[tuple[str, str, str, Callable[[Any], None] | None, str]] = [
    ("overview", "overview", "What each document covers", None, "(no controls)"),
    (
        "councils",
        "councils?subject=special-guardianship-order",
        "claims about special guardianship order",
        choose("Kind of statement", "legal effect"),
        "choose a kind of statement",
    ),
    (
        "child",
        "child?age=6",
        "One option, council by council",
        choose("Option", "Special guardianship"),
        "open another option",
    ),
    (
        "child (age)",
        "child?age=6",
        "One option, council by council",
        lambda page: (
            page.get_by_label("Age (years)").fill("9"),
            page.get_by_label("Age (years)").press("Enter"),
        ),
        "change the age (options recomputed)",
    ),
    (
        "who-can-apply",
        "who-can-apply?order=special-guardianship-order&relationship=relative",
        "The law — our reading",
        choose("The person is the child's", "Parent"),
        "change the relationship",
    ),
    (
        "routes",
        "routes?from=care-order",
        "routes from care order",
        choose("Step", "Care order → Special guardianship order"),
        "open a step's evidence",
    ),
    (
        "graph",
        "graph?node=opt:adoption&depth=1",
        "Linked to",
        click("button", "secured by → Adoption order"),
        "re-centre on a neighbour",
    ),
    (
        "sources",
        "sources?council=medway&start=18819&end=18862",
        "The whole document",
        choose("Document", "Dorset Council"),
        "open another document",
    ),
    (
        "ontology",
        "ontology",
        "Properties (",
        lambda page: page.get_by_text("Concept schemes", exact=True).click(),
        "show the concept schemes",
    ),
    (
        "sparql",
        "sparql?name=who-can-apply&council=dorset",
        "Download CSV",
        click("button", "Run"),
        "run the library query again",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# A bare Streamlit page on the same machine and browser: what any Streamlit app costs here.
BARE = """import streamlit as st
st.title("Bare Streamlit")
st.session_state.setdefault("clicks", 0)
if st.button("Click"):
    st.session_state["clicks"] += 1
st.write(f"clicked {st.session_state['clicks']} times")
"""


def start_server(
    data: Path, script: Path = ROOT / "app" / "streamlit_app.py"
) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "PERMANENCE_KG_DATA": str(data)}
    command = [sys.executable, "-m", "streamlit", "run", str(script)]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true"]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            return proc, url
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise SystemExit("streamlit did not start")
            time.sleep(0.3)


def first_render(context: Any, url: str, marker: str) -> tuple[float, Any]:
    page = context.new_page()
    page.set_default_timeout(60_000)
    started = time.perf_counter()
    page.goto(url)
    page.get_by_text(marker, exact=False).first.wait_for()
    page.wait_for_function(DONE, polling=20)
    return time.perf_counter() - started, page


def interaction(page: Any, act: Callable[[Any], None]) -> float:
    page.wait_for_timeout(300)
    before = page.evaluate(MAIN_TEXT)
    started = time.perf_counter()
    act(page)
    page.wait_for_function(f"(before) => ({MAIN_TEXT})() !== before", arg=before, polling=20)
    page.wait_for_function(DONE, polling=20)
    return time.perf_counter() - started


def fmt(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}" + (
        f" ({min(values):.2f}–{max(values):.2f})" if len(values) > 1 else ""
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", type=int, default=1, help="copy the build this many times (scale.py)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from kg.build import build

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "graph"
        build(data)
        if args.scale > 1:
            from scale import scaled_copy

            data = scaled_copy(data, args.scale, Path(tmp) / f"x{args.scale}")
        proc, base = start_server(data)
        bare_script = Path(tmp) / "bare.py"
        bare_script.write_text(BARE, encoding="utf-8")
        bare_proc, bare_base = start_server(data, bare_script)
        rows = []
        try:
            with sync_playwright() as p:
                context = p.chromium.launch_persistent_context(
                    str(Path(tmp) / "profile"),
                    executable_path=CHROMIUM,
                    args=ARGS,
                    viewport={"width": 1440, "height": 900},
                )
                warming = []
                for name, path, marker, act, _ in PAGES:  # load the graph, warm the shared caches
                    seconds, page = first_render(context, f"{base}/{path}", marker)
                    warming.append(f"{name} {seconds:.1f} s")
                    if act:
                        interaction(page, act)
                    page.close()
                for name, path, marker, act, what in PAGES:
                    renders, clicks = [], []
                    for _ in range(args.runs):
                        seconds, page = first_render(context, f"{base}/{path}", marker)
                        renders.append(seconds)
                        if act:
                            clicks.append(interaction(page, act))
                        page.close()
                    rows.append(
                        (name, path, fmt(renders), fmt(clicks) if clicks else "—", what, renders, clicks)
                    )
                renders, clicks = [], []
                for _ in range(args.runs + 1):
                    seconds, page = first_render(context, bare_base, "Bare Streamlit")
                    renders.append(seconds)
                    clicks.append(interaction(page, click("button", "Click")))
                    page.close()
                renders, clicks = renders[1:], clicks[1:]  # the first visit loads the browser's cache
                what = "click a button (reference)"
                rows.append(
                    ("bare Streamlit page", "(a 5-line app)", fmt(renders), fmt(clicks), what, [], [])
                )
                context.close()
        finally:
            for server in (proc, bare_proc):
                server.terminate()
                server.wait(timeout=10)

    lines = [
        f"| page | URL | first render, s (median, min–max of {args.runs}) | interaction, s | interaction |",
        "|---|---|---|---|---|",
    ]
    for name, path, render, click_time, what, renders, clicks in rows:
        late = bool(renders) and (
            statistics.median(renders) >= 1.5 or bool(clicks) and statistics.median(clicks) >= 0.5
        )
        where = f"`/{path}`" if renders else path
        lines.append(f"| {name}{' ⚠' if late else ''} | {where} | {render} | {click_time} | {what} |")
    load = os.getloadavg()[0]
    lines.append("")
    lines.append(f"First visits, which load the graph and fill the shared caches: {', '.join(warming)}.")
    lines.append("")
    lines.append(
        f"Load average at the end: {load:.1f} on {os.cpu_count()} cores (⚠: over the 1.5 s / 0.5 s target)."
    )
    table = "\n".join(lines) + "\n"
    publish("app_pages.md" if args.scale == 1 else f"app_pages-{args.scale}x.md", table)


if __name__ == "__main__":
    main()
