"""Safe output: never overwrite without --force; write a temporary file, then rename."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import UserError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_target(path: str | os.PathLike, force: bool) -> Path:
    p = Path(path)
    if p.exists() and not force:
        raise UserError("exists; not overwritten (use --force to replace it)", file=str(p))
    if p.exists() and p.is_dir():
        raise UserError("is a directory", file=str(p))
    if not p.parent.exists():
        raise UserError(f"folder {p.parent} does not exist", file=str(p))
    return p


def write_atomic(path: str | os.PathLike, writer: Callable[[Path], None], force: bool = False) -> Path:
    """Call `writer(tmp_path)` then rename the temporary file onto `path`.

    The existing file (if any, and only with force) is replaced in one step, so a crash
    half-way never leaves a truncated document where the user's file was.
    """
    target = check_target(path, force)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp makes 0600; a reply should get the usual mode
    try:
        writer(tmp_path)
        if target.exists() and not force:  # appeared meanwhile
            raise UserError("exists; not overwritten (use --force to replace it)", file=str(target))
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()
    return target


def write_text_atomic(path: str | os.PathLike, text: str, force: bool = False) -> Path:
    return write_atomic(path, lambda p: p.write_text(text, encoding="utf-8"), force=force)
