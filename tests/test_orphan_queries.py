"""A query never outlives what asked for it: killing the caller mid-query (a closed terminal, a
restarted app server) ends the query's processes within 2 s, and a query whose caller is stuck
stops at its own deadline."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

CALLER = """
import sys, threading
from kg import queries
data, engine, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
queries.sparql("ASK { ?s ?p ?o }", data=data, engine=engine)  # the query server is up and loaded
def ask():
    try:
        queries.sparql(%r, data=data, engine=engine, timeout=timeout)
    except Exception as exc:
        print(exc, flush=True)
# From a thread, as the app and a SPARQL server ask: the process must not depend on which thread.
thread = threading.Thread(target=ask)
thread.start()
thread.join()
""" % (RUNAWAY,)


def _children() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            found.setdefault(ppid, []).append(int(entry.name))
    return found


def _descendants(pid: int) -> list[int]:
    children, found, todo = _children(), [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has ended; only its exit status is left to collect


def _query_processes(caller: subprocess.Popen, timeout: float = 30) -> tuple[int, list[int], list[int]]:
    """The caller's query server, its busy query children and every process under the caller, once
    the query is running (a forked child's CPU time starts from nothing)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        servers = _children().get(caller.pid, [])
        if servers:
            busy = [p for p in _children().get(servers[0], []) if _cpu_ticks(p) > 20]
            if busy:
                return servers[0], busy, _descendants(caller.pid)
        time.sleep(0.05)
    raise AssertionError(f"the query never started (caller exit code {caller.poll()})")


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return 0


def _start(data_dir: Path, engine: str, timeout: float) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CALLER, str(data_dir), engine, str(timeout)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # the signal goes to the caller alone, not to a process group
    )


def _wait_gone(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = [p for p in pids if _running(p)]
        if not alive:
            return []
        time.sleep(0.05)
    return [p for p in pids if _running(p)]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL], ids=lambda s: s.name)
def test_killing_the_caller_mid_query_leaves_no_query_process(data_dir, engine, sig):
    caller = _start(data_dir, engine, timeout=60)
    try:
        _, _, processes = _query_processes(caller)
        os.kill(caller.pid, sig)
        caller.wait(10)
        survivors = _wait_gone(processes, 2.0)
        assert survivors == [], f"still running 2 s after {sig.name} to the caller: {survivors}"
    finally:
        if caller.poll() is None:
            caller.kill()
            caller.wait()


def test_a_query_whose_caller_is_stuck_stops_at_its_own_deadline(data_dir):
    caller = _start(data_dir, "oxigraph", timeout=2)
    try:
        server, query_children, processes = _query_processes(caller)
        os.kill(caller.pid, signal.SIGSTOP)  # the caller can no longer kill anything
        started = time.monotonic()
        assert _wait_gone(query_children, 8.0) == []  # its own alarm: 2 s plus the grace second
        assert time.monotonic() - started < 8
        assert _running(server)  # the server lives on, ready for the next query
    finally:
        os.kill(caller.pid, signal.SIGKILL)
        caller.wait()
    assert _wait_gone(processes, 2.0) == []


def _cli(data_dir: Path, timeout: float) -> subprocess.Popen:
    """A one-query command: it answers from the build's on-disk store in a fork of itself."""
    return subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "sparql", "--query", RUNAWAY, "--timeout", str(timeout)]
        + ["--data", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _busy_children(caller: subprocess.Popen, timeout: float = 30) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = [p for p in _children().get(caller.pid, []) if _cpu_ticks(p) > 20]
        if busy:
            return busy
        time.sleep(0.05)
    raise AssertionError(f"the query never started (caller exit code {caller.poll()})")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
def test_killing_a_one_query_command_mid_query_leaves_no_query_process(data_dir, sig):
    caller = _cli(data_dir, timeout=60)
    try:
        children = _busy_children(caller)
        os.kill(caller.pid, sig)
        caller.wait(10)
        assert _wait_gone(children, 2.0) == []
    finally:
        if caller.poll() is None:
            caller.kill()
            caller.wait()


def test_a_one_query_command_that_is_stuck_has_its_query_stop_at_its_own_deadline(data_dir):
    caller = _cli(data_dir, timeout=2)
    try:
        children = _busy_children(caller)
        os.kill(caller.pid, signal.SIGSTOP)
        assert _wait_gone(children, 8.0) == []
    finally:
        os.kill(caller.pid, signal.SIGKILL)
        caller.wait()
