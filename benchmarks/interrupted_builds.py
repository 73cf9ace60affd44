"""Kill builds at random points and check the build directory is always whole: the old set of files
or the new one, never a mix, and no staging directory left once the next build has run.

    python benchmarks/interrupted_builds.py --kills 300            # the issue's 300 kills
    python benchmarks/interrupted_builds.py --kills 40 --json      # what the test runs
    python benchmarks/interrupted_builds.py --cli-kills 20         # real `permanence-kg build` processes

Two graphs that differ (the built one, and the same without its last quads) are written in turn
by forked writers (kg.build.write_outputs, the build's own writing and switching), each killed with
SIGKILL, SIGTERM or SIGINT (Ctrl-C): a third at a random time in the whole write, a third while the
new generation is written, a third within 10 ms of it becoming a generation (the switch). After
each kill the directory is read as a user would (the three stable names and the manifest).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from kg.build import OUTPUT_FILES, manifest, serialise, write_outputs  # noqa: E402
from kg.errors import KGError  # noqa: E402
from kg.store import GENERATIONS, MANIFEST, Checked, publish  # noqa: E402

NAMES = [*OUTPUT_FILES, MANIFEST]
SIGNALS = [signal.SIGKILL, signal.SIGTERM, signal.SIGINT]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fingerprint(out: Path) -> tuple[str, ...] | None:
    return tuple(_digest(out / n) for n in OUTPUT_FILES) if (out / "permanence.nq").exists() else None


def classify(out: Path, sets: dict[str, tuple[str, ...]]) -> str:
    """'none' (nothing built yet), a set's name, or 'mixed' / 'refused' (failures)."""
    present = [n for n in NAMES if (out / n).exists()]
    if not present:
        return "none"
    if len(present) != len(NAMES):
        return "mixed"
    if len({os.path.realpath(out / n).rsplit("/", 1)[0] for n in NAMES}) != 1:
        return "mixed"  # the names point into different generations
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    found = fingerprint(out)
    if found != tuple(manifest["files"][n]["sha256"] for n in OUTPUT_FILES):
        return "mixed"  # a file that is not the one its manifest lists
    try:
        checked = Checked(out)
        checked.reader.read()
        checked.check(sum(1 for _ in ox.parse(path=str(out / "permanence.nq"), format=ox.RdfFormat.N_QUADS)))
    except KGError:
        return "refused"
    # A whole build: one of the two sets written here, or (for real builds) whatever the code made.
    return next((k for k, v in sets.items() if v == found), "whole")


def leftovers(out: Path) -> list[str]:
    """Staging directories, half-made links and generations other than the current one."""
    found = [p.name for p in out.glob(".build-*")] + [p.name for p in out.glob(".link-*")]
    generations = out / GENERATIONS
    if generations.is_dir():
        current = os.path.basename(os.readlink(out / "current")) if (out / "current").is_symlink() else None
        found += [f"{GENERATIONS}/{p.name}" for p in generations.iterdir() if p.name != current]
    return found


def _wait(condition: Callable[[], bool], started: float, limit: float = 10) -> None:
    while not condition() and time.perf_counter() - started < limit:
        time.sleep(0.0005)


def _forked_write(quads: list[ox.Quad], out: Path) -> float:
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        write_outputs(quads, out)
        os._exit(0)
    os.waitpid(pid, 0)
    return time.perf_counter() - started


def forked_kills(kills: int, seed: int, source: Path) -> dict:
    rng = random.Random(seed)
    full = list(ox.parse(path=str(source), format=ox.RdfFormat.N_QUADS))
    graphs = {"A": full, "B": full[: len(full) - 7]}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "build"
        sets = {}
        for name, quads in graphs.items():  # the two sets, and how long a write takes
            write_outputs(quads, out)
            sets[name] = fingerprint(out)
        whole = sorted(_forked_write(graphs[k], out) for k in "BAB")[1]  # fork to exit, as killed below
        files = {n: serialise(graphs["A"], f) for n, f in OUTPUT_FILES.items()}
        files[MANIFEST] = manifest(graphs["A"], files)
        started = time.perf_counter()
        publish(out, files)  # the part that writes and switches, after serialising
        switching = time.perf_counter() - started
        outcomes: dict[str, int] = {}
        staging_seen = switched = 0
        before = "A"
        for i in range(kills):
            quads = graphs["B" if i % 2 == 0 else "A"]
            sig = rng.choice(SIGNALS)
            started = time.perf_counter()
            pid = os.fork()
            if pid == 0:
                signal.signal(signal.SIGINT, signal.default_int_handler)
                try:
                    write_outputs(quads, out)
                except BaseException:
                    pass
                os._exit(0)
            # A third anywhere in the write; a third while the new generation is being written (its
            # staging directory exists); a third within 10 ms of the staging directory becoming the
            # new generation, when the links are switched.
            if i % 3 == 0:
                time.sleep(rng.uniform(0, whole * 1.1))
            else:
                _wait(lambda: any((out / GENERATIONS).glob(".staging-*")), started)
                if i % 3 == 1:
                    time.sleep(rng.uniform(0, switching * 1.2))
                else:
                    _wait(lambda: not any((out / GENERATIONS).glob(".staging-*")), started)
                    time.sleep(rng.uniform(0, 0.01))
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
            state = classify(out, sets)
            outcomes[state] = outcomes.get(state, 0) + 1
            switched += state == ("B" if i % 2 == 0 else "A") and state != before
            before = state
            staging_seen += bool(leftovers(out))
        write_outputs(graphs["A"], out)  # the next build
        after = leftovers(out)
        return {
            "kills": kills,
            "write_seconds": round(whole, 3),
            "write_and_switch_seconds": round(switching, 3),
            "outcomes": outcomes,
            "kills_after_which_the_new_set_was_in_place": switched,
            "kills_leaving_staging_until_next_build": staging_seen,
            "left_after_next_build": after,
            "final": classify(out, sets),
        }


def cli_kills(kills: int, seed: int) -> dict:
    """Real `permanence-kg build` processes, each killed once its staging directory appears."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "build"
        command = [sys.executable, "-m", "kg.cli", "build", "--out", str(out)]
        subprocess.run(command, check=True, capture_output=True)
        sets = {"A": fingerprint(out)}
        outcomes: dict[str, int] = {}
        for _ in range(kills):
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 60
            while process.poll() is None and time.monotonic() < deadline:
                if any((out / GENERATIONS).glob(".staging-*")):
                    break
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.15))
            process.send_signal(rng.choice(SIGNALS))
            process.wait()
            state = classify(out, sets)
            outcomes[state] = outcomes.get(state, 0) + 1
        subprocess.run(command, check=True, capture_output=True)
        return {"kills": kills, "outcomes": outcomes, "left_after_next_build": leftovers(out)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--kills", type=int, default=300)
    parser.add_argument("--cli-kills", type=int, default=0)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--data", default="build", help="a built graph whose N-Quads are rewritten")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from kg.store import nquads_path

    report = {"forked": forked_kills(args.kills, args.seed, nquads_path(args.data).resolve())}
    if args.cli_kills:
        report["cli"] = cli_kills(args.cli_kills, args.seed)
    print(json.dumps(report, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
