"""Files: finding scenario files, reading a text input safely, writing an output atomically.

Every input (a scenario, a pack's manifest, a template file) is read by ``read_text``: a
FIFO, a device or anything else that is not a regular file is refused before it is read (it
may never end, like /dev/zero, or never begin, like a FIFO with no writer), and so is a file
over the size limit. Every output file is written by ``write_atomic``: a reader, a crash or
a full disk never sees or leaves half a file.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Sequence

from checker.errors import CheckerError, Problem, ScenarioError, UsageError

SCENARIO_SUFFIXES = (".yaml", ".yml", ".json")
MAX_BYTES = 32 * 1024 * 1024  # far more than any history needs; reading stops there


def scenario_files(paths: Iterable[Path], suffixes: Sequence[str] = SCENARIO_SUFFIXES) -> list[Path]:
    """Files as given; folders expanded to the scenario files below them, sorted (anything
    there with a scenario's name but a folder: a FIFO or a broken link is refused when read)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in suffixes and not p.is_dir()))
        else:
            out.append(path)
    return out


def read_text(path: Path, shown: str | None = None, *, limit: int = MAX_BYTES, what: str = "scenarios",
              error: type[CheckerError] = ScenarioError) -> str:
    """The UTF-8 text of a regular file of at most ``limit`` bytes; ``error`` (a
    CheckerError) located at ``shown``:LINE otherwise."""
    shown = str(path) if shown is None else shown

    def refuse(message: str, line: int = 1):
        return error([Problem(shown, line, "file", message)])

    mib = limit // (1024 * 1024)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise refuse("is not a regular file")
        if info.st_size > limit:
            raise refuse(f"is {info.st_size // (1024 * 1024)} MiB; {what} are limited to {mib} MiB")
        # opened without blocking and checked again: the path may have become a FIFO since
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
        with open(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise refuse("is not a regular file")
            raw = f.read(limit + 1)  # a file that grows while it is read stops at the limit
    except FileNotFoundError:
        raise refuse("no such file") from None
    except IsADirectoryError:
        raise refuse("is a folder, not a file") from None
    except OSError as exc:
        raise refuse(f"cannot be read: {exc.strerror or exc}") from None
    if len(raw) > limit:
        raise refuse(f"is over {mib} MiB; {what} are limited to {mib} MiB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise refuse("is not UTF-8 text", raw.count(b"\n", 0, exc.start) + 1) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise refuse("contains a NUL byte: not a text file", text.count("\n", 0, nul) + 1)
    return text


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def check_target(path: Path, *, option: str = "file", force: bool = False,
                 inputs: Iterable[Path] = ()) -> os.stat_result | None:
    """Refuse (UsageError naming ``option`` and the path) to write ``path`` when it is one of
    ``inputs`` or a hard link to one, when it is no regular file, or when it exists and
    ``force`` is not given; the existing file's status, or None when there is none."""
    path = Path(path)
    try:
        existing = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UsageError(f"{option}: {path}: {exc.strerror or exc}") from None
    for source in inputs:
        try:
            same = _same_file(existing, os.stat(source))
        except OSError:
            continue
        if same:
            raise UsageError(f"{option}: {path} is an input of this command ({source}); give another file name")
    if not stat.S_ISREG(existing.st_mode):
        raise UsageError(f"{option}: {path} exists and is not a regular file")
    if not force:
        raise UsageError(f"{option}: {path} exists; give --force to replace it")
    return existing


def write_atomic(path: Path, text: str | Iterable[str], *, option: str = "file", force: bool = False,
                 inputs: Iterable[Path] = ()) -> None:
    """Write ``text`` (a string, or pieces of one written as they come) to ``path`` whole or
    not at all: into a temporary file in the same folder, flushed to the disk, then renamed
    over ``path``. Refused as check_target says; on any failure (a full disk...) the original
    is intact and UsageError names the path."""
    existing = check_target(path, option=option, force=force, inputs=inputs)
    replace(Path(path), text, option=option, keep_mode=existing, new=existing is None)


def replace(path: Path, text: str | Iterable[str], *, option: str = "file",
            keep_mode: os.stat_result | None = None, new: bool = False) -> None:
    """Put ``text`` in place of ``path`` atomically (see write_atomic), with the permission
    bits of ``keep_mode`` when given; UsageError naming the path when it cannot. ``new``: the
    file must not exist, and one that appears while the text is written is not replaced."""
    with _atomically(Path(path), option, keep_mode, new) as f:
        for piece in [text] if isinstance(text, str) else text:
            f.write(piece.encode("utf-8"))


@contextmanager
def atomic_output(path: Path, *, option: str = "file", force: bool = False,
                  inputs: Iterable[Path] = ()) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through, for output made as it streams: it becomes
    ``path`` when the block ends (flushed to the disk, then renamed, as write_atomic does), and
    is removed when the block raises. Refused as check_target says."""
    path = Path(path)
    existing = check_target(path, option=option, force=force, inputs=inputs)
    with _atomically(path, option, existing, existing is None) as f:
        yield f


@contextmanager
def _atomically(path: Path, option: str, keep_mode: os.stat_result | None, new: bool) -> Iterator[BinaryIO]:
    """A temporary file in ``path``'s folder that, when the block ends, is flushed to the disk
    with the permission bits of ``keep_mode`` (else those a new file gets) and takes the name
    ``path`` (``new``: only if no file has it meanwhile); removed when the block raises. An
    OSError on the way is UsageError naming the path."""
    folder = path.parent if str(path.parent) else Path(".")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with open(fd, "wb") as f:
            yield f
            f.flush()
            if keep_mode is not None:
                os.fchmod(f.fileno(), stat.S_IMODE(keep_mode.st_mode))
            else:  # as a file created with open(): what the umask allows of 0o666
                umask = os.umask(0)
                os.umask(umask)
                os.fchmod(f.fileno(), 0o666 & ~umask)
            os.fsync(f.fileno())
        if new:
            _link_new(tmp, path, option)
        else:
            os.replace(tmp, path)
        tmp = None
        _sync_folder(folder)
    except OSError as exc:
        raise UsageError(f"{option}: {path}: cannot be written: {exc.strerror or exc}"
                         + ("; the file is unchanged" if keep_mode is not None else "")) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _link_new(tmp: str, path: Path, option: str) -> None:
    """Give ``tmp`` the name ``path`` unless a file of that name appeared meanwhile (a hard
    link fails then; a rename would replace it)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise UsageError(f"{option}: {path} exists; give --force to replace it") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
            raise
        if path.exists():  # a file system with no hard links: look, then rename
            raise UsageError(f"{option}: {path} exists; give --force to replace it") from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (where the system allows a folder to be synced)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
