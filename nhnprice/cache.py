"""A cache of what does not change between runs: parser tables, compiled specs, loaded data.

A policy writer re-runs `check` on every save and CI runs every spec on every
push, so most runs compile a spec and read data files that have not changed
since the last run. Each result is stored under a key made from the bytes it
was made from, so a cached result is used only when it is certain to be the
same as a fresh one:

- the nhnprice code itself (the size and modification time of every module and
  of the grammar) and the Python version: a new or edited nhnprice never meets
  results of another;
- for a compiled spec, the working directory, the spec's path as given, and its bytes;
- for a data set, its declaration, the working directory, the file's path and bytes,
  and the spec's year.

Only results without errors are stored, so every problem is found afresh. The
cache lives in the user's own directory, `$XDG_CACHE_HOME/nhnprice` or
`~/.cache/nhnprice` (`NHNPRICE_CACHE_DIR` chooses another); `NHNPRICE_NO_CACHE=1`
turns it off. A file that cannot be read or written is ignored: the cache can
make a run faster, never wrong or failed.
"""

from __future__ import annotations

import os
import pickle
import sys
from functools import lru_cache

try:  # BLAKE2 alone: hashlib would also load OpenSSL, which costs more than the rest of this module
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python implementation
    from hashlib import blake2b

_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def directory() -> str | None:
    """The cache directory, created if need be; None when caching is off or impossible."""
    if os.environ.get("NHNPRICE_NO_CACHE"):
        return None
    path = os.environ.get("NHNPRICE_CACHE_DIR")
    if not path:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        path = os.path.join(base, "nhnprice")
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
    except OSError:
        return None
    return path


@lru_cache(maxsize=1)
def _code_stamp() -> bytes:
    """What identifies this nhnprice: every module's and data file's size and modification time."""
    digest = blake2b(sys.version.encode())
    for folder, subfolders, files in sorted(os.walk(_PACKAGE)):
        subfolders[:] = [d for d in subfolders if d != "__pycache__"]
        for name in sorted(files):
            if name.endswith((".py", ".lark", ".csv")):
                stat = os.stat(os.path.join(folder, name))
                where = os.path.relpath(os.path.join(folder, name), _PACKAGE)
                digest.update(f"{where}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.digest()


def key(kind: str, *parts: bytes | str) -> str:
    """A key for a result of `kind` made from `parts` by this nhnprice."""
    digest = blake2b(_code_stamp())
    digest.update(kind.encode())
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return f"{kind}-{digest.hexdigest()[:32]}"


def file_bytes(path: str) -> bytes | None:
    """A file's bytes for a key, or None when it cannot be read (the caller reports that, uncached)."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def get(name: str):
    """The result stored under `name`, or None."""
    where = directory()
    if where is None:
        return None
    try:
        with open(os.path.join(where, name + ".pickle"), "rb") as f:
            return pickle.load(f)
    except Exception:  # missing, truncated or from an incompatible run: compute afresh
        return None


def put(name: str, value) -> None:
    """Store `value` under `name`, atomically (a reader never sees half a file)."""
    where = directory()
    if where is None:
        return
    try:
        fd, tmp = temporary(where, ".pickle")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, os.path.join(where, name + ".pickle"))
    except Exception:  # a full disk or an unpicklable value: run uncached
        try:
            os.unlink(tmp)
        except (OSError, NameError):
            pass


def temporary(where: str, suffix: str) -> tuple[int, str]:
    """A new private file in `where` to write and then rename: what tempfile.mkstemp does,
    without importing tempfile (and shutil, random, bz2, lzma...) on every check of an edited spec."""
    for attempt in range(100):
        path = os.path.join(where, f".tmp-{os.getpid()}-{attempt}-{os.urandom(4).hex()}{suffix}")
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {where}")
