"""Where every time-limited query runs: a query server started afresh, and one child per query.

Oxigraph and rdflib cannot be interrupted from Python and a thread cannot be stopped, so a query
that must stop runs in a process that can be killed. Forking the caller to get one is unsafe once
the caller has threads (the app, a SPARQL HTTP server): a lock another thread held at the fork stays
locked in the child for ever. So the caller starts one *query server* with a fresh interpreter
(fork and exec, which is safe from any thread); the server never starts a thread, loads each graph
once, and forks one child per query from it (a copy-on-write fork of a single-threaded process).

A query child cannot outlive what it serves, whatever happens to the caller:

- it dies with the server and the server dies with the caller (``PR_SET_PDEATHSIG``, checked
  against the parent's pid for the case where the parent died first); the caller starts the server
  from a thread that lives exactly as long as the server, because the kernel ties the signal to
  the thread that forked, not to the process;
- it keeps its own deadline: a real-time alarm and a CPU-time limit (``RLIMIT_CPU``), both fatal,
  a little past the caller's limit, so it stops even if the caller is stuck;
- it caps the memory it may add (``RLIMIT_AS`` over the server's size): an allocation past the
  cap fails, and the query ends with "query stopped: memory limit ...".

The caller kills the child at its time limit itself; the child's own limits are the backstop.

A command that runs one query on the build's on-disk store and exits (``query``, ``sparql``) has
one thread, so it forks itself instead (run_forked): the child has the same limits and the same
death signal, and no server is started for a single answer.
"""

from __future__ import annotations

import ctypes
import math
import os
import pickle
import resource
import selectors
import signal
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .errors import KGError

# (engine, the data location as given, the resolved N-Quads file, its mtime in ns, its size)
GraphKey = tuple[str, str, str, int, int]
# (query text, variable -> Term, row limit or None for every row)
Job = tuple[str, dict[str, Any], int | None]

DEADLINE_GRACE = 1.0  # the child's own deadline runs this much past the caller's (seconds)
_PR_SET_PDEATHSIG = 1
_REPLY_BYTES = 1 << 16


class Stopped(Exception):
    """The query ran past its time limit and was killed."""


class Died(Exception):
    """The query child ended without an answer: it hit its memory cap (or crashed)."""


def die_with_parent(parent: int) -> None:
    """Be killed when the process (thread) that started this one ends; exit now if it already has."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(0)


def _virtual_size() -> int:
    """This process's address space in bytes (what RLIMIT_AS counts)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def visible(
    columns: list[str], rows: list[list[Any]], limit: int | None
) -> tuple[list[str], list[list[Any]], bool]:
    """At most ``limit`` rows of an engine's answer (every row if None), and whether more were there
    (an engine returns one row past the limit)."""
    return columns, rows[:limit], limit is not None and len(rows) > limit


def answer(engine: Any, job: Job) -> tuple[str, Any]:
    """Run one query on a loaded engine: ("ok", (columns, rows, truncated)) or ("error", problems)."""
    text, bindings, limit = job
    try:
        columns, rows = engine.select(text, bindings, limit)
        return "ok", visible(columns, rows, limit)
    except KGError as exc:
        return "error", exc.problems
    except MemoryError:
        return "memory", None
    except Exception as exc:  # an engine failure is reported, not hidden
        detail = str(exc).splitlines()[0] if str(exc) else ""
        return "error", [f"query failed: {type(exc).__name__}: {detail}"]


# --------------------------------------------------------------------------------------------------
# The server side (run as ``python -m kg.query_process FD PARENT_PID``)
# --------------------------------------------------------------------------------------------------


def _load(graphs: dict[GraphKey, Any], key: GraphKey) -> Any:
    from .engines import load_engine

    if key not in graphs:
        # A rebuilt graph replaces the one loaded from the same place.
        for stale in [k for k in graphs if k[:2] == key[:2]]:
            del graphs[stale]
        graphs[key] = load_engine(key[0], key[2])
    return graphs[key]


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _answer_one(conn_fd: int, engine: Any) -> None:
    conn = Connection(conn_fd)
    try:
        text, bindings, limit, timeout, memory = conn.recv()
        # Both limits end the process by their signal's default action, whatever the engine is doing.
        signal.setitimer(signal.ITIMER_REAL, timeout + DEADLINE_GRACE)
        cpu = math.ceil(_cpu_seconds() + timeout + DEADLINE_GRACE)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, resource.RLIM_INFINITY))
        conn.send(answer(engine, (text, bindings, limit)))
        signal.setitimer(signal.ITIMER_REAL, 0)
        resource.setrlimit(resource.RLIMIT_CPU, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    except (EOFError, OSError):
        pass  # the caller gave up on this query
    finally:
        conn.close()


def _become_query_process(engine: Any, memory: int) -> int:
    """In a freshly forked query process: the alarm's default action (it ends the process), the
    engine prepared, and the address space capped at its size now plus ``memory`` MiB; returns
    that size."""
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    engine.prepare()  # before the size is taken: an on-disk store's threads are part of the base
    base = _virtual_size()
    cap = base + memory * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    return base


def _worker(engine: Any, channel: socket.socket, memory: int) -> None:
    """A query process: answer one query at a time, for as long as it stays small. Its address space
    is capped at the server's size plus ``memory`` MiB, so a query that needs more fails to allocate
    and the process ends; one that grows it lastingly retires it after its answer."""
    base = _become_query_process(engine, memory)
    while True:
        try:
            _, fds, _, _ = socket.recv_fds(channel, 16, 1)
        except OSError:
            return
        if not fds:
            return  # the server closed its end
        _answer_one(fds[0], engine)
        if _virtual_size() > base + memory * 2**20 // 4:
            return
        channel.send(b"idle")


class _Workers:
    """The server's query processes for one graph: idle ones are reused, busy ones are watched."""

    KEEP_IDLE = 4

    def __init__(self, engine: Any, memory: int) -> None:
        self.engine, self.memory = engine, memory
        self.idle: list[tuple[int, socket.socket]] = []

    def fork(self, close: list[socket.socket]) -> tuple[int, socket.socket]:
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        server = os.getpid()
        pid = os.fork()
        if pid == 0:
            try:
                for sock in [*close, mine]:
                    sock.close()
                die_with_parent(server)
                _worker(self.engine, theirs, self.memory)
            finally:
                os._exit(0)
        theirs.close()
        return pid, mine

    def stop(self) -> None:
        for pid, sock in self.idle:
            sock.close()
            _kill(pid)  # it holds the old graph's pages
        self.idle.clear()


def serve(control_fd: int, parent: int) -> None:
    die_with_parent(parent)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps finished query processes
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's to handle; it ends us
    control = socket.socket(fileno=control_fd)
    graphs: dict[GraphKey, Any] = {}
    workers: dict[tuple[GraphKey, int], _Workers] = {}
    busy: dict[socket.socket, tuple[int, _Workers]] = {}
    watch = selectors.DefaultSelector()
    watch.register(control, selectors.EVENT_READ)

    def sockets() -> list[socket.socket]:
        return [control, *busy, *(s for w in workers.values() for _, s in w.idle)]

    while True:
        for event, _ in watch.select():
            sock = event.fileobj
            if sock is not control:  # a query process finished its query, or ended
                watch.unregister(sock)
                pid, pool = busy.pop(sock)  # type: ignore[call-overload]
                alive = bool(sock.recv(16)) if pool in workers.values() else False  # type: ignore[union-attr]
                if alive and len(pool.idle) < pool.KEEP_IDLE:
                    pool.idle.append((pid, sock))  # type: ignore[arg-type]
                else:
                    sock.close()  # type: ignore[union-attr]
                    if alive:
                        _kill(pid)
                continue
            try:
                message, fds, _, _ = socket.recv_fds(control, _REPLY_BYTES, 1)
            except OSError:
                return
            if not message:
                return  # the caller closed its end, or died
            kind, key, memory = pickle.loads(message)
            try:
                engine = _load(graphs, key)
            except KGError as exc:
                reply: tuple[str, Any] = ("error", exc.problems)
            except MemoryError:
                reply = ("error", [f"not enough memory to load the graph {key[2]}"])
            except Exception as exc:  # any other failure to load is the caller's to report
                reply = ("error", [f"could not load the graph {key[2]}: {type(exc).__name__}: {exc}"])
            else:
                reply = ("loaded", None)
                for stale in [k for k in workers if k[0] not in graphs]:
                    workers.pop(stale).stop()
                pool = workers.setdefault((key, memory), _Workers(engine, memory))
                if kind == "query":
                    while True:
                        pid, sock = pool.idle.pop() if pool.idle else pool.fork(sockets())
                        try:
                            socket.send_fds(sock, [b"q"], fds)
                            break
                        except OSError:  # an idle process that has gone
                            sock.close()
                    busy[sock] = (pid, pool)
                    watch.register(sock, selectors.EVENT_READ)
                    reply = ("pid", pid)
            for fd in fds:
                os.close(fd)
            control.sendall(pickle.dumps(reply))


# --------------------------------------------------------------------------------------------------
# The caller's side
# --------------------------------------------------------------------------------------------------


def child_environment() -> dict[str, str]:
    """The environment for a ``python -m kg.…`` child process: this kg first on its path, however
    this one was imported (an installed package, a checkout)."""
    package_root = str(Path(__file__).resolve().parent.parent)
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])),
    }


class _ServerGone(Exception):
    pass


class QueryServer:
    """The caller's handle on its query server; safe to use from many threads at once."""

    def __init__(self) -> None:
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        theirs.set_inheritable(True)
        env = child_environment()
        command = [sys.executable, "-m", "kg.query_process", str(theirs.fileno()), str(os.getpid())]
        started = threading.Event()
        failure: list[BaseException] = []

        def keep() -> None:
            # This thread started the server and waits for it: the server's death signal is tied
            # to this thread, which therefore must not end before the server does.
            try:
                self.process = subprocess.Popen(
                    command,
                    pass_fds=[theirs.fileno()],
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,  # an engine's abort message is not the user's concern
                )
            except OSError as exc:
                failure.append(exc)
                return
            finally:
                started.set()
            self.process.wait()

        threading.Thread(target=keep, name="kg-query-server", daemon=True).start()
        started.wait()
        theirs.close()
        if failure:
            mine.close()
            raise KGError(f"could not start the query process: {failure[0]}")
        self.control = mine
        self.lock = threading.Lock()

    def _request(self, kind: str, key: GraphKey, memory: int = 0, fd: int | None = None) -> tuple[str, Any]:
        with self.lock:
            try:
                socket.send_fds(self.control, [pickle.dumps((kind, key, memory))], [] if fd is None else [fd])
                reply = self.control.recv(_REPLY_BYTES)
            except OSError:
                raise _ServerGone from None
        if not reply:
            raise _ServerGone
        return pickle.loads(reply)

    def load(self, key: GraphKey) -> None:
        kind, value = self._request("load", key)
        if kind == "error":
            raise KGError(*value)

    def ask(self, key: GraphKey, job: Job, timeout: float, memory: int) -> tuple[str, Any]:
        mine, theirs = socket.socketpair()
        with mine:
            try:
                kind, value = self._request("query", key, memory, theirs.fileno())
            finally:
                theirs.close()
            if kind == "error":
                return "error", value
            return _ask(Connection(mine.detach()), value, job, timeout, memory)

    @property
    def pid(self) -> int:
        return self.process.pid


def _ask(conn: Connection, pid: int, job: Job, timeout: float, memory: int) -> tuple[str, Any]:
    """Send the job to query process ``pid`` over ``conn`` (then closed) and wait for its answer;
    kill it at the time limit (Stopped), or report that it ended without an answer (Died)."""
    try:
        conn.send((*job, timeout, memory))
        if not conn.poll(timeout):
            _kill(pid)
            raise Stopped
        try:
            return conn.recv()
        except (EOFError, OSError):
            raise Died from None
    finally:
        conn.close()


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


_server: QueryServer | None = None
_server_lock = threading.Lock()


def server() -> QueryServer:
    global _server
    with _server_lock:
        if _server is None or _server.process.poll() is not None:
            _server = QueryServer()
        return _server


def _retrying(call: Any) -> Any:
    """Run ``call(server)``, starting the server afresh once if it had gone."""
    for attempt in (1, 2):
        current = server()
        try:
            return call(current)
        except _ServerGone:
            with _server_lock:
                global _server
                if _server is current:
                    _server = None
            if attempt == 2:
                raise KGError("query failed: the query process could not be reached") from None


def run(key: GraphKey, job: Job, timeout: float, memory: int) -> tuple[str, Any]:
    """Run the job in a query child: ("ok", (columns, rows, truncated)) or ("error", problems);
    raises Stopped at the time limit and Died if the child ended without an answer."""
    return _retrying(lambda s: s.ask(key, job, timeout, memory))


def single_threaded() -> bool:
    """Whether this process has one thread, native ones included (the kernel's count, not Python's)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def run_forked(engine: Any, job: Job, timeout: float, memory: int) -> tuple[str, Any]:
    """run(), for a caller that runs one query and exits, has one thread (single_threaded()) and an
    engine that opens in milliseconds (the build's on-disk store): a fork of the caller itself, with
    the same limits as a query server's child, saves starting a server for a single answer."""
    mine, theirs = socket.socketpair()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        try:
            mine.close()
            die_with_parent(parent)
            _become_query_process(engine, memory)
            _answer_one(theirs.detach(), engine)
        finally:
            os._exit(0)
    theirs.close()
    try:
        return _ask(Connection(mine.detach()), pid, job, timeout, memory)
    finally:
        os.waitpid(pid, 0)


def preload(key: GraphKey) -> None:
    """Have the query server load a graph now (raises KGError if it cannot be loaded)."""
    _retrying(lambda s: s.load(key))


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]))
