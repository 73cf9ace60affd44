"""Where the built graph lives, and loading it only when it is whole.

A build directory (``permanence-kg build``, see kg/build.py) holds each build in its own
``generations/<name>/`` directory with a ``manifest.json``; ``current`` is a symlink to the one in
use, swapped in one atomic rename, and ``permanence.{trig,nq,jsonld}`` and ``manifest.json`` are
stable symlinks through ``current``. Readers resolve ``permanence.nq`` once and read that
generation's files, so a build running meanwhile never mixes into what they load.

Loading checks the N-Quads file against the manifest beside it (SHA-256 and quad count), so a file
cut short, emptied or changed since the build is refused rather than answered from. A directory
that just holds a ``permanence.nq`` with no manifest (assembled by hand, or written before builds
had manifests) is loaded as it is: parse errors and an empty file are refused, but a file cut at a
line boundary cannot be told from a whole one.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, BinaryIO, Callable

import pyoxigraph as ox

from .errors import KGError

DATA_ENV = "PERMANENCE_KG_DATA"
NQUADS = "permanence.nq"
MANIFEST = "manifest.json"
# The same dataset as an on-disk Oxigraph (RocksDB) store, written by the build beside the N-Quads:
# opened read-only in milliseconds, where parsing the N-Quads takes seconds at national scale, but
# queried several times slower than the in-memory store. Commands that run one query and exit
# read it; processes that run many (the app, serve) load the N-Quads into memory once.
STORED = "permanence.oxigraph"
MANIFEST_VERSION = 1  # raised only when a reader of the old layout would misread the new one


PROJECT_NAME = "permanence-kg"
_PROJECT_ROOT = Path(__file__).resolve().parent.parent  # the checkout, for an editable install


def _is_project(directory: Path) -> bool:
    try:
        text = (directory / "pyproject.toml").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return f'name = "{PROJECT_NAME}"' in text


def data_dir(path: Path | str | None = None) -> Path:
    """Where the built graph lives: the argument, $PERMANENCE_KG_DATA, ./build if it holds a graph,
    else the build directory of the project the current directory is in (the nearest parent holding
    ``build/permanence.nq`` or this project's pyproject.toml), else that of the checkout this package
    was installed from (editable install), else ./build.

    So a command run from any directory of the checkout reads the checkout's build."""
    chosen = path or os.environ.get(DATA_ENV)
    if chosen:
        return Path(chosen)
    try:
        here = Path.cwd()
    except OSError:  # the current directory was removed
        return Path("build")
    for directory in (here, *here.parents):
        if (directory / "build" / NQUADS).exists() or _is_project(directory):
            return directory / "build" if directory != here else Path("build")
    if _is_project(_PROJECT_ROOT):
        return _PROJECT_ROOT / "build"
    return Path("build")


def nquads_path(path: Path | str | None = None) -> Path:
    directory = data_dir(path)
    return directory / NQUADS if directory.is_dir() or not directory.suffix else directory


def _missing(nq: Path) -> KGError:
    return KGError(f"no built graph at {nq}: run `permanence-kg build` first (or pass --data DIR)")


def read_manifest(directory: Path) -> dict[str, Any] | None:
    """The build manifest in ``directory``, or None if there is none (a hand-assembled directory)."""
    path = directory / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise KGError(f"build manifest {path} cannot be read: {exc} (rebuild it)") from None
    try:
        manifest = json.loads(text)
    except ValueError as exc:
        raise KGError(f"build manifest {path} is not valid JSON: {exc} (rebuild it)") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise KGError(f"build manifest {path} has no 'files' mapping (rebuild it)")
    if manifest.get("manifest_version", 0) > MANIFEST_VERSION:
        raise KGError(
            f"build manifest {path} was written by a newer permanence-kg "
            f"(manifest version {manifest['manifest_version']}); upgrade, or rebuild with this one"
        )
    return manifest


class _Hashing:
    """A binary reader that hashes what passes through it, so the bytes checked are the bytes loaded."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data

    def readable(self) -> bool:
        return True


class Checked:
    """The N-Quads file of a build, opened once; ``check(quads)`` after loading it."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.shown = nquads_path(path)
        for attempt in (1, 2):  # a build may switch and remove a generation between the two steps
            try:
                self.path = self.shown.resolve(strict=True)  # one generation, whatever a build does next
                self.file: BinaryIO = self.path.open("rb")
                break
            except (OSError, RuntimeError):
                if attempt == 2:
                    raise _missing(self.shown) from None
        if not self.path.is_file():
            self.file.close()
            raise _missing(self.shown)
        self.reader = _Hashing(self.file)
        try:
            manifest = read_manifest(self.path.parent)
        except KGError:
            self.file.close()
            raise
        self.expected: dict[str, Any] | None = None
        if manifest is not None:
            entry = manifest["files"].get(self.path.name)
            self.expected = entry if isinstance(entry, dict) else None
            if self.expected is None:
                self.file.close()
                raise KGError(
                    f"built graph {self.shown} is not listed in its build manifest "
                    f"{self.path.parent / MANIFEST} (rebuild it)"
                )

    def check(self, quads: int) -> None:
        """Refuse what was loaded unless it is the whole file the build wrote."""
        self.reader.read()  # anything the parser left unread still counts
        self.file.close()
        digest = self.reader.sha256.hexdigest()
        if self.expected is None:
            if quads == 0:
                raise KGError(f"built graph {self.shown} is empty (rebuild it)")
            return
        want_hash, want_quads = self.expected.get("sha256"), self.expected.get("quads")
        if digest != want_hash or (want_quads is not None and quads != want_quads):
            raise KGError(
                f"built graph {self.shown} is not the file its build wrote ({self.reader.size} bytes, "
                f"{quads} quads; its manifest says {self.expected.get('bytes', '?')} bytes, "
                f"{want_quads} quads): it was cut short or changed since; rebuild it"
            )

    def close(self) -> None:
        self.file.close()


def load_store(path: Path | str | None = None) -> ox.Store:
    """The built dataset in an in-memory Oxigraph store, checked against its build manifest."""
    checked = Checked(path)
    store = ox.Store()
    try:
        # One transaction, not bulk_load: in memory, bulk_load's parallel loaders take half as much
        # memory again at their peak and leave a store whose queries run 20-40% slower
        # (benchmarks/load_method.py).
        store.load(input=checked.reader, format=ox.RdfFormat.N_QUADS)  # type: ignore[arg-type]
    except (SyntaxError, ValueError, OSError) as exc:
        checked.close()
        raise KGError(
            f"built graph {checked.shown} is corrupt: {str(exc).splitlines()[0]} (rebuild it)"
        ) from None
    checked.check(len(store))
    return store


def write_stored(directory: Path, nquads: Path) -> None:
    """Write the on-disk store of a build from its N-Quads file, in a process of its own: RocksDB
    starts threads that stay for the life of the process, and a builder that forks afterwards (a
    test, a benchmark) would give its children a store with none. The writer dies with the build."""
    from .query_process import child_environment

    done = subprocess.run(
        [sys.executable, "-m", "kg.store", str(nquads), str(directory), str(os.getpid())],
        capture_output=True,
        text=True,
        env=child_environment(),
    )
    if done.returncode != 0:
        problem = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise KGError(f"cannot write the on-disk store {directory}: {problem}")


def _write_stored(nquads: Path, directory: Path) -> None:
    stored = ox.Store(str(directory))
    stored.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    stored.flush()


def stored_directory(path: Path | str | None = None) -> Path | None:
    """The on-disk store of the build whose N-Quads ``path`` names, if its manifest lists one that
    this pyoxigraph wrote (another version's files may not be readable) and the N-Quads still have
    the size it lists: else None, and the caller loads (and checks) the N-Quads. They are resolved
    to their generation, as loading does."""
    try:
        generation = nquads_path(path).resolve(strict=True).parent
        manifest = read_manifest(generation)
    except (OSError, RuntimeError, KGError):
        return None
    entry = (manifest or {}).get("stored")
    if not isinstance(entry, dict) or entry.get("pyoxigraph") != ox.__version__:
        return None
    # N-Quads cut short or emptied since the build are refused by loading them, as without a store:
    # their size is checked here (hashing them would cost what the store saves).
    listed = manifest["files"].get(NQUADS) if manifest else None
    try:
        if not isinstance(listed, dict) or (generation / NQUADS).stat().st_size != listed.get("bytes"):
            return None
    except OSError:
        return None
    directory = generation / STORED
    return directory if directory.is_dir() else None


def open_stored(directory: Path) -> ox.Store:
    try:
        return ox.Store.read_only(str(directory))
    except OSError as exc:
        raise KGError(
            f"the build's on-disk store {directory} cannot be opened: {str(exc).splitlines()[0]} (rebuild it)"
        ) from None


# --------------------------------------------------------------------------------------------------
# Writing a build: one atomic switch from the old set of files to the new
# --------------------------------------------------------------------------------------------------

GENERATIONS = "generations"
CURRENT = "current"
_STAGING = ".staging-"
_LINK = ".link-"


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_synced(path: Path, data: bytes) -> None:
    with path.open("xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _point(link: Path, target: str) -> None:
    """Make ``link`` a symlink to ``target`` in one step (a new link renamed over the old)."""
    temporary = link.with_name(f"{_LINK}{link.name}-{os.getpid()}")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(target, temporary)
    os.replace(temporary, link)


def _current_generation(out: Path) -> str | None:
    try:
        return Path(os.readlink(out / CURRENT)).name
    except OSError:
        return None


def clean_stale(out: Path) -> list[Path]:
    """Remove what killed builds left behind: staging directories, half-made links and every
    generation but the current one. Returns what was removed."""
    import shutil

    removed = []
    current = _current_generation(out)
    generations = out / GENERATIONS
    candidates = [p for p in out.glob(".build-*") if p.is_dir()]  # staging of builds before generations
    candidates += [p for p in out.glob(f"{_LINK}*") if p.is_symlink()]
    if generations.is_dir():
        candidates += [p for p in generations.iterdir() if p.name != current]
    for path in candidates:
        if path.is_symlink() or path.is_file():
            path.unlink()
        else:
            shutil.rmtree(path)
        removed.append(path)
    return removed


def _adopt_unversioned(out: Path, names: list[str]) -> None:
    """Move a build written before generations existed (plain files) into a generation of its own,
    so replacing its files with links never shows a mix of old and new."""
    plain = [n for n in names if (out / n).is_file() and not (out / n).is_symlink()]
    if not plain:
        return
    staging = Path(tempfile.mkdtemp(prefix=_STAGING, dir=out / GENERATIONS))
    staging.chmod(0o755)
    for name in plain:
        try:
            os.link(out / name, staging / name)
        except OSError:
            _write_synced(staging / name, (out / name).read_bytes())
    generation = out / GENERATIONS / ("g-" + _stamp() + "-unversioned")
    os.rename(staging, generation)
    _point(out / CURRENT, f"{GENERATIONS}/{generation.name}")
    for name in plain:
        _point(out / name, f"{CURRENT}/{name}")


def _stamp() -> str:
    import time

    return time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{time.time_ns() % 10**9:09d}"


def publish(
    out: Path, files: dict[str, bytes], directories: dict[str, Callable[[Path], None]] | None = None
) -> dict[str, Path]:
    """Write ``files`` (the graph files and the manifest) as a new generation in ``out`` and switch
    to it in one atomic step; on any failure ``out`` reads as before and nothing is left behind.
    ``directories`` maps a name to a function that writes that directory in the generation (the
    on-disk store); they have no stable link in ``out``: readers find them beside the N-Quads.

    Only one build writes to a directory at a time (a lock on ``out/generations``)."""
    import fcntl
    import shutil

    out.mkdir(parents=True, exist_ok=True)
    generations = out / GENERATIONS
    generations.mkdir(exist_ok=True)
    lock = os.open(generations, os.O_RDONLY)
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise KGError(f"another build is writing to {out}: wait for it to finish") from None
        clean_stale(out)
        _adopt_unversioned(out, list(files))
        staging = Path(tempfile.mkdtemp(prefix=_STAGING, dir=generations))
        try:
            staging.chmod(0o755)  # readable as the plain files of earlier builds were
            for name, data in files.items():
                _write_synced(staging / name, data)
            for name, write in (directories or {}).items():
                write(staging / name)
                _fsync_dir(staging / name)
            _fsync_dir(staging)
            generation = generations / ("g-" + _stamp())
            os.rename(staging, generation)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _fsync_dir(generations)
        # Stable names first (dangling until the first switch), then the switch itself.
        for name in files:
            link = out / name
            if not (link.is_symlink() and os.readlink(link) == f"{CURRENT}/{name}"):
                _point(link, f"{CURRENT}/{name}")
        _point(out / CURRENT, f"{GENERATIONS}/{generation.name}")
        _fsync_dir(out)
        clean_stale(out)  # the previous generation: readers hold open files, not names
    finally:
        os.close(lock)
    return {name: out / name for name in files}


if __name__ == "__main__":  # write_stored's writer: N-QUADS DIRECTORY BUILDER_PID
    from .query_process import die_with_parent

    die_with_parent(int(sys.argv[3]))
    _write_stored(Path(sys.argv[1]), Path(sys.argv[2]))
