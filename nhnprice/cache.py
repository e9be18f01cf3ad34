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

Nothing read from the cache runs code, whoever wrote it:

- the folder is used only when it belongs to the user and no one else can write
  to it; otherwise the cache is off (`status()` says why);
- every entry carries a keyed BLAKE2 tag of its name and content, made with a
  random secret of 32 bytes kept in the folder (`secret`, mode 0600, the
  user's own): an entry written by anyone without the secret, copied from
  another name, truncated or damaged is a miss, and is never unpickled;
- an authentic entry is unpickled by an unpickler that builds only nhnprice's own
  record classes, exact fractions and Python's plain data (no function, no other
  class), and the result must have the shape the caller expects, or it is a miss.
  Lark's parser tables are stored the same way, as plain data.
"""

from __future__ import annotations

import io
import os
import pickle
import stat
import sys
from _operator import _compare_digest as compare_digest  # hmac's, without loading OpenSSL
from collections.abc import Callable
from fractions import Fraction
from functools import lru_cache

import attrs

try:  # BLAKE2 alone: hashlib would also load OpenSSL, which costs more than the rest of this module
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python implementation
    from hashlib import blake2b

_PACKAGE = os.path.dirname(os.path.abspath(__file__))
_MAGIC = b"nhnprice cache 2\n"
_SUFFIX = ".entry"
_SECRET_BYTES = 32
_TAG_BYTES = 32


def directory() -> str | None:
    """The cache directory, created if need be; None when caching is off, impossible or unsafe."""
    return status()[0]


def status() -> tuple[str | None, str | None]:
    """The cache directory (or None) and, when a directory was refused, why."""
    if os.environ.get("NHNPRICE_NO_CACHE"):
        return None, None
    path = os.environ.get("NHNPRICE_CACHE_DIR")
    if not path:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        path = os.path.join(base, "nhnprice")
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.stat(path)
    except (OSError, ValueError):  # ValueError: a NUL byte in the variable
        return None, None
    problem = _unsafe(info, path)
    return (None, problem) if problem else (path, None)


def _unsafe(info: os.stat_result, path: str) -> str | None:
    """Why a cache folder must not be used, or None: it must be the user's own, written by no one else."""
    if not stat.S_ISDIR(info.st_mode):
        return f"{path} is not a folder"
    if os.name != "posix":  # Windows keeps who may write in access lists, and the profile folder is the user's
        return None
    if info.st_uid != os.geteuid():
        return f"{path} belongs to another user"
    if info.st_mode & 0o022:
        return f"{path} can be written by other users (mode {stat.S_IMODE(info.st_mode):o})"
    return None


def _secret(where: str) -> bytes | None:
    """The folder's secret (made on first use), or None when it is missing, foreign or readable by others.
    Read at every use (32 bytes): one run cannot leave it to the next, and a secret removed is gone."""
    path = os.path.join(where, "secret")
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | nofollow, 0o600)
    except FileExistsError:
        pass
    except OSError:
        return None
    else:  # written in one call: a run that reads it meanwhile sees too few bytes and runs uncached
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(_SECRET_BYTES))
    try:
        fd = os.open(path, os.O_RDONLY | nofollow | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or (os.name == "posix" and (info.st_mode & 0o077
                                                                     or info.st_uid != os.geteuid())):
            return None
        secret = os.read(fd, _SECRET_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return secret if len(secret) == _SECRET_BYTES else None


def _tag(secret: bytes, name: str, payload: bytes) -> bytes:
    digest = blake2b(key=secret, digest_size=_TAG_BYTES, person=b"nhnprice-cache")
    digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(payload)
    return digest.digest()


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


class _Unpickler(pickle.Unpickler):
    """Builds nhnprice's record classes, exact fractions and plain data; refuses every other global."""

    def find_class(self, module: str, name: str):
        if (module, name) == ("fractions", "Fraction"):
            return Fraction
        if module.startswith("nhnprice.") and not name.startswith("__"):
            import importlib

            found = getattr(importlib.import_module(module), name, None)
            # a record class, or what declares itself rebuilt from plain data (the packed rows of a table)
            if (isinstance(found, type) and attrs.has(found)) or getattr(found, "cacheable", False) is True:
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not a cacheable class")


def _entry(path: str) -> tuple[bytes, bytes]:
    """An entry's head (magic and tag) and payload, read apart (the payload is not copied); a regular
    file only, so that a pipe put in the folder cannot stop a run."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        return f.read(len(_MAGIC) + _TAG_BYTES), f.read()


def get(name: str, shape: Callable[[object], bool] = lambda value: True):
    """The result stored under `name`, or None. `shape` says whether a value is of the kind expected
    under this name; an entry that is not authentic, not readable or not of that shape is a miss."""
    where = directory()
    secret = _secret(where) if where is not None else None
    if secret is None:
        return None
    try:
        head, payload = _entry(os.path.join(where, name + _SUFFIX))
        if head[: len(_MAGIC)] != _MAGIC or not compare_digest(head[len(_MAGIC):], _tag(secret, name, payload)):
            return None
        value = _Unpickler(io.BytesIO(payload)).load()
        return value if shape(value) else None
    except Exception:  # missing, damaged, or from an incompatible run: compute afresh
        return None


def put(name: str, value) -> None:
    """Store `value` under `name`, atomically (a reader never sees half a file)."""
    where = directory()
    secret = _secret(where) if where is not None else None
    if secret is None:
        return
    tmp = None
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = temporary(where, _SUFFIX)
        with os.fdopen(fd, "wb") as f:
            f.write(_MAGIC + _tag(secret, name, payload))
            f.write(payload)  # not joined to the head: a large table's payload is not copied again
        os.replace(tmp, os.path.join(where, name + _SUFFIX))
    except Exception:  # a full disk or an unpicklable value: run uncached
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
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
