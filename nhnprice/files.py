"""Reading the files a spec names: regular files only, within limits, from where the spec may read.

A spec is text anyone can write, and a data file is whatever a register export
or a colleague's workbook holds, so reading either is bounded:

- only regular files are read: a folder, a pipe (which would wait for a writer
  for ever) or a device (`/dev/zero` never ends) is refused, naming the path;
- a file larger than `Limits.file_mb` is refused before it is read; a workbook
  whose parts unpack to more than `Limits.workbook_mb` before its XML is parsed
  (xlsx.py); a CSV file or sheet of more than `Limits.cells` cells as soon as
  that is known (readers.py, xlsx.py). The limits can be raised, for one run,
  with the environment variables `NHNPRICE_MAX_FILE_MB`,
  `NHNPRICE_MAX_WORKBOOK_MB` and `NHNPRICE_MAX_CELLS`;
- a spec reads data only from its own folder and the folders below it (links
  followed), unless the caller allows more (`Access.allowed_dirs`;
  `--allow-data-dir FOLDER` on the command line, or `NHNPRICE_ALLOW_DATA_DIRS`);
  a file the user names (`--data NAME=PATH`) is read wherever it is.
"""

from __future__ import annotations

import os
import stat

from nhnprice.record import Record, frozen

MB = 1024 * 1024


@frozen
class Limits(Record):
    """How much one run reads at most."""

    file_mb: int = 128  # a spec or data file on disk
    workbook_mb: int = 256  # the XML of a workbook, unpacked
    cells: int = 10_000_000  # the cells of one data file (rows × columns)

    @classmethod
    def from_env(cls) -> Limits:
        """The defaults, or what `NHNPRICE_MAX_FILE_MB`, `..._WORKBOOK_MB` and `..._CELLS` set."""
        values = {}
        for field, variable in (("file_mb", "NHNPRICE_MAX_FILE_MB"), ("workbook_mb", "NHNPRICE_MAX_WORKBOOK_MB"),
                                ("cells", "NHNPRICE_MAX_CELLS")):
            text = os.environ.get(variable, "").strip()
            if text.isascii() and text.isdigit() and int(text) > 0:
                values[field] = int(text)
        return cls(**values)


def raise_hint(variable: str, value: int, unit: str = "") -> str:
    """How to read a file beyond a limit, for a message."""
    return f"if the file is what you meant, raise the limit for this run: {variable}={value * 4}{unit}"


@frozen
class Access(Record):
    """Where a spec may read data, and how much: what a caller allows one run.

    `confine`: data files must be in the spec's folder (or below it) or in one of
    `allowed_dirs`; a server that compiles specs it is sent keeps it on, and names
    the folders its data may come from in `allowed_dirs`."""

    allowed_dirs: tuple[str, ...] = ()
    confine: bool = True
    limits: Limits = Limits()

    @classmethod
    def default(cls, allowed_dirs: tuple[str, ...] = ()) -> Access:
        """Confined, with `allowed_dirs` and those in `NHNPRICE_ALLOW_DATA_DIRS` (separated as in
        PATH), and the limits of `Limits.from_env`."""
        listed = os.environ.get("NHNPRICE_ALLOW_DATA_DIRS", "")
        extra = tuple(folder for folder in listed.split(os.pathsep) if folder)
        return cls((*allowed_dirs, *extra), True, Limits.from_env())


class Unreadable(Exception):
    """Why a file cannot be read: `message` names the path, `hint` says what to do."""

    def __init__(self, message: str, hint: str | None = None, missing: bool = False):
        super().__init__(message)
        self.message, self.hint, self.missing = message, hint, missing


def read_bytes(path: str, limit_mb: int, what: str = "data file") -> bytes:
    """The bytes of the regular file `path`, at most `limit_mb` megabytes; raises Unreadable."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)  # a pipe must not wait
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise Unreadable(f"no such {what}: {_shown(path)}", missing=True) from None
    except IsADirectoryError:
        raise Unreadable(f"{_shown(path)} is a folder, not a {what}") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "the path is not valid"
        raise Unreadable(f"cannot read {_shown(path)}: {reason}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise Unreadable(f"{_shown(path)} is a folder, not a {what}")
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(f"{_shown(path)} is not a regular file (a device, pipe or socket): it cannot be a {what}",
                             f"give the path of a {what} saved on disk")
        limit = limit_mb * MB
        if info.st_size > limit:
            raise Unreadable(f"{_shown(path)} is {_size(info.st_size)}, more than the {limit_mb} MB a {what} may have",
                             raise_hint("NHNPRICE_MAX_FILE_MB", limit_mb))
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise Unreadable(f"cannot read {_shown(path)}: {exc.strerror}") from None
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew while being read
        raise Unreadable(f"{_shown(path)} is more than the {limit_mb} MB a {what} may have",
                         raise_hint("NHNPRICE_MAX_FILE_MB", limit_mb))
    return data


def _size(size: int) -> str:
    return f"{size / MB:.0f} MB" if size >= MB else f"{size} bytes"


def _shown(path: str) -> str:
    """A path as a message may show it: control characters (a NUL, an escape) escaped."""
    return path.encode("unicode_escape").decode("ascii") if not path.isprintable() else path


def inside(path: str, folder: str) -> bool:
    """Whether `path`, links followed, is `folder` or below it."""
    try:
        real, root = os.path.realpath(path), os.path.realpath(folder or os.curdir)
        return os.path.commonpath([real, root]) == root
    except (ValueError, OSError):  # another drive, a NUL byte
        return False


def may_read(path: str, spec_file: str, access: Access) -> bool:
    """Whether a spec in `spec_file` may read the data file `path` it declares."""
    if not access.confine:
        return True
    folders = (os.path.dirname(spec_file), *access.allowed_dirs)
    return any(inside(path, folder) for folder in folders)
