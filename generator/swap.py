"""Put a newly built site in place of the old one, so that a kill at any moment leaves a
whole site, the old one or the new one.

The build writes into a fresh folder beside site/ (`.site-build-XXXX`). On Linux the two
folders then trade names in one step (renameat2 with RENAME_EXCHANGE) and the old one is
deleted. Where that cannot be done, site/ is renamed to `.site-old` first, and a run that
finds no site/ but a `.site-old` puts it back before anything else. Whatever a killed
run left beside site/ is deleted by the next, which holds a lock while it works, so that
it never deletes the folder of a build still running.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class Busy(Exception):
    """Another build is writing the same site folder."""


@contextlib.contextmanager
def staging_folder(site_dir: Path) -> Iterator[Path]:
    """A fresh folder beside site_dir to build into, for `publish`; deleted on the way out
    (after `publish` it holds the old site, or nothing)."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    with _locked(site_dir):
        _tidy(site_dir)
        staging = site_dir.with_name(f".{site_dir.name}-build-{secrets.token_hex(4)}")
        staging.mkdir()  # not tempfile.mkdtemp, whose folder only its owner could read once it is the site
        try:
            yield staging
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def publish(staging: Path, site_dir: Path) -> None:
    """Make the staging folder the site."""
    if not site_dir.exists():
        os.rename(staging, site_dir)
    elif not _exchange(staging, site_dir):
        old = _old(site_dir)
        os.rename(site_dir, old)  # a kill from here ...
        os.rename(staging, site_dir)  # ... to here leaves the old site in .site-old, for the next run to restore
        shutil.rmtree(old, ignore_errors=True)


def _old(site_dir: Path) -> Path:
    return site_dir.with_name(f".{site_dir.name}-old")


def _tidy(site_dir: Path) -> None:
    """Restore a site a killed run had moved aside, and delete what killed runs left."""
    old = _old(site_dir)
    if not site_dir.exists() and old.is_dir():
        os.rename(old, site_dir)
    for leftover in [old, *site_dir.parent.glob(f".{site_dir.name}-build-*")]:
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def _locked(site_dir: Path) -> Iterator[None]:
    with open(site_dir.with_name(f".{site_dir.name}.lock"), "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(f"another build is writing {site_dir.name}/ now; wait for it to finish") from None
        yield  # the lock goes with the file, even if the process is killed


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders' names in one step; False where the system cannot."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:  # not Linux, or a C library without it
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):  # an old kernel, or a file system without it
        return False
    raise OSError(code, os.strerror(code), str(b))
