"""Real servers on free loopback ports for the endpoint and store tests: `permanence-kg serve` and
the Oxigraph server (the `oxigraph` PyPI package's binary). Each is started as a process, waited
for with a bounded poll, and stopped by its own process id."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

STARTUP_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).is_file():
        raise RuntimeError("the oxigraph server binary is missing: pip install -e '.[test]' installs it")
    return found


class LiveServer:
    def __init__(self, command: list[str], url: str, probe: str) -> None:
        self.command, self.url, self.probe = command, url, probe
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> "LiveServer":
        self.process = subprocess.Popen(self.command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"{self.command[0]} exited at start: {err[-2000:]}")
            try:
                if httpx.get(self.url + self.probe, timeout=2).status_code < 500:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.command} did not answer within {STARTUP_SECONDS:g} s")

    def kill(self) -> None:
        """Stop at once, as a crashed store would."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def serve(data: Path, *args: str) -> LiveServer:
    port = free_port()
    command = [
        sys.executable,
        "-c",
        "from kg.cli import main; main()",
        "serve",
        "--data",
        str(data),
        "--port",
        str(port),
        *args,
    ]
    return LiveServer(command, f"http://127.0.0.1:{port}", "/queries")


def oxigraph(location: Path | None = None, port: int | None = None) -> LiveServer:
    port = port or free_port()
    # The store's own time limit, so a runaway query a test gave up on does not run on.
    command = [
        oxigraph_binary(),
        "serve",
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
        "--timeout-s",
        "10",
    ]
    if location is not None:
        command += ["--location", str(location)]
    return LiveServer(command, f"http://127.0.0.1:{port}", "/query?query=ASK%7B%7D")
