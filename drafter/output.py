"""Safe output: never overwrite without --force; write a temporary file, then rename."""
from __future__ import annotations

import gc
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from .errors import UserError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_target(path: str | os.PathLike, force: bool) -> Path:
    p = Path(path)
    if p.is_dir():
        raise UserError("is a folder; give a file name for the output", file=str(p))
    if p.exists() and not force:
        raise UserError("exists; not overwritten (use --force to replace it)", file=str(p))
    parent = p.parent
    if not parent.exists():
        raise UserError(f"folder {parent} does not exist", file=str(p))
    if not parent.is_dir():
        raise UserError(f"{parent} is not a folder", file=str(p))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UserError(f"cannot write in folder {parent} (permission denied)", file=str(p))
    return p


def write_atomic(path: str | os.PathLike, writer: Callable[[Path], None], force: bool = False) -> Path:
    """Call `writer(tmp_path)` then rename the temporary file onto `path`.

    The existing file (if any, and only with force) is replaced in one step, so a crash
    half-way never leaves a truncated document where the user's file was.
    """
    target = check_target(path, force)
    with _signals_remove_temporaries() as pending:
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        except OSError as e:  # a read-only folder or disk, a network share refusing us …
            raise UserError(f"cannot write in folder {target.parent} ({e.strerror or e})", file=str(target)) from None
        os.close(fd)
        tmp_path = Path(tmp)
        pending.add(tmp_path)
        try:
            os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp makes 0600; a reply should get the usual mode
            _write_quietly(writer, tmp_path, target)
            if target.exists() and not force:  # appeared meanwhile
                raise UserError("exists; not overwritten (use --force to replace it)", file=str(target))
            try:
                os.replace(tmp_path, target)
            except OSError as e:
                raise UserError(f"could not replace the file ({e.strerror or e})", file=str(target)) from None
        finally:
            if tmp_path.exists():
                tmp_path.unlink()
            pending.discard(tmp_path)
    return target


def _write_quietly(writer: Callable[[Path], None], tmp_path: Path, target: Path) -> None:
    """Run the writer; a failing write (disk full, quota, I/O error) is one line, never a traceback —
    not even the one a half-written ZipFile prints when it is collected and fails to close again."""
    previous = sys.unraisablehook

    def hook(unraisable) -> None:
        if unraisable.exc_type is not None and issubclass(unraisable.exc_type, OSError):
            return  # the same write failure again, from a writer's cleanup
        previous(unraisable)

    failure = None
    sys.unraisablehook = hook
    try:
        try:
            writer(tmp_path)
        except OSError as e:
            if e.filename is not None and Path(e.filename) != tmp_path:
                raise  # not about the file being written
            failure = f"could not write the file ({e.strerror or e})"
        if failure:
            gc.collect()  # the writer's half-closed archive goes now, while its second failure is silenced
    finally:
        sys.unraisablehook = previous
    if failure:
        raise UserError(failure, file=str(target))


_PENDING: set[Path] = set()  # temporary files being written, removed if the process is stopped


class _signals_remove_temporaries:
    """While an output is written, SIGTERM/SIGINT/SIGHUP remove its temporary file before the process
    ends as the signal says (the user's folder keeps no `.NAME.XXXX.tmp`)."""

    SIGNALS = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, n))

    def __enter__(self) -> set[Path]:
        self.saved: dict[int, object] = {}
        if threading.current_thread() is threading.main_thread():
            for sig in self.SIGNALS:
                try:
                    self.saved[sig] = signal.signal(sig, _remove_and_die)
                except (ValueError, OSError):  # not allowed here (embedded interpreter …)
                    pass
        return _PENDING

    def __exit__(self, *exc) -> None:
        for sig, handler in self.saved.items():
            try:
                signal.signal(sig, handler)  # type: ignore[arg-type]
            except (ValueError, OSError, TypeError):
                pass


def _remove_and_die(signum, frame) -> None:
    for p in list(_PENDING):
        try:
            p.unlink()
        except OSError:
            pass
    _PENDING.clear()
    if signum == getattr(signal, "SIGINT", None):
        raise KeyboardInterrupt
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def write_text_atomic(path: str | os.PathLike, text: str, force: bool = False) -> Path:
    return write_atomic(path, lambda p: p.write_text(text, encoding="utf-8"), force=force)


def check_not_input(target: str | os.PathLike, *inputs: str | os.PathLike | None) -> None:
    """Refuse an output that is one of the command's own input files, even with --force:
    `--force` is for replacing an old output, never for writing over the document being read."""
    t = Path(target)
    if not t.exists():
        return
    for src in inputs:
        if src is None:
            continue
        s = Path(src)
        try:
            same = s.exists() and os.path.samefile(t, s)
        except OSError:
            same = False
        if same:
            raise UserError(f"is also the input {src}; write the output to another file", file=str(t))


FORMULA_START = ("=", "+", "-", "@")


def cell_as_text(cell) -> None:
    """Keep a text value a text in an XLSX output: openpyxl turns a string starting with `=` into a
    live formula (and a spreadsheet may evaluate `+ - @`); the user's words are never executed."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
        cell.data_type = "s"


def sheet_as_text(ws) -> None:
    """cell_as_text for every cell of a worksheet that holds only data (no formulas of ours)."""
    for cell in list(getattr(ws, "_cells", {}).values()):
        cell_as_text(cell)

