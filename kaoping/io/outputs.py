"""Where a command may write: one guard for every ``-o``, so an office never loses a file it keeps.

Every command that writes goes through :func:`write_output`. It refuses a target that

* is one of the command's inputs (the same file after resolving links and ``..``), or a file inside an
  input data folder that the loader would read as a table (``units.csv``, ``values.xlsx``, …);
* exists but is not a regular file (a folder, a device such as ``/dev/null``'s siblings, a pipe);
* is open in Excel or WPS (a ``~$name.xlsx`` lock file beside it, or Windows refusing the rename);
* already exists, when the command must not replace files (``template`` without ``--force``).

The file is written with :func:`kaoping.io.report.write_atomic`, so a failed run leaves the old file as it
was. ``-o -`` writes to standard output, binary formats included (a temporary file is written first, so a
failure still prints nothing half-made).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO, TextIO

from kaoping.core.errors import InputError, Problem
from kaoping.io.dataio import TABLE_ORDER
from kaoping.io.report import write_atomic
from kaoping.locale import _

STDOUT = "-"
# the files of a data folder the loader reads (with TABLE_ORDER's names): an output there would be read as data
DATA_SUFFIXES = (".csv", ".xlsx", ".json", ".parquet")


def is_stdout(target: Path | str | None) -> bool:
    return target is not None and str(target) == STDOUT


def lock_files(target: Path) -> list[Path]:
    """The owner files Excel and WPS keep beside a workbook while it is open: ``~$`` before the name, or
    (Excel, for longer names) in place of its first two characters."""
    return [target.with_name("~$" + target.name), target.with_name("~$" + target.name[2:])]


def _same(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def output_problem(target: Path, inputs: Iterable[Path] = (), overwrite: bool = True) -> str | None:
    """Why ``target`` must not be written, or ``None`` when it may be."""
    for source in inputs:
        source = Path(source)
        if _same(target, source):
            return _("it is one of this command's inputs; choose another output file")
        if source.is_dir() and _inside_data_folder(target, source):
            return _(
                "it is inside the data folder {folder}, where it would be read as data; choose another place"
            ).format(folder=source)
    if os.path.lexists(target):
        try:
            mode = os.stat(target).st_mode
        except OSError:
            mode = 0
        if stat.S_ISDIR(mode):
            return _("it is a folder; give a file name")
        if not stat.S_ISREG(mode):
            return _("it is not a regular file (a device or a pipe); give a file name")
        if not overwrite:
            return _("it already exists; add --force to replace it")
    for lock in lock_files(target):
        if lock.exists():
            return _("it is open in Excel or WPS (lock file {lock}); close it and run again").format(lock=lock.name)
    return None


def _inside_data_folder(target: Path, folder: Path) -> bool:
    try:
        same_folder = _same(target.parent if str(target.parent) else Path("."), folder)
    except OSError:
        return False
    return same_folder and target.stem in TABLE_ORDER and target.suffix.lower() in DATA_SUFFIXES


def check_output(target: Path, inputs: Iterable[Path] = (), overwrite: bool = True) -> None:
    """Raise an :class:`InputError` naming ``target`` when it must not be written."""
    reason = output_problem(Path(target), inputs, overwrite)
    if reason is not None:
        raise InputError(Problem(_("cannot write the output here: {reason}").format(reason=reason), file=str(target)))


def write_output(
    target: Path | str,
    write: Callable[[Path], object],
    inputs: Iterable[Path | None] = (),
    overwrite: bool = True,
    stdout: BinaryIO | None = None,
) -> None:
    """Check ``target``, then call ``write(temp_path)`` and move the result into place (or to stdout)."""
    sources = [Path(p) for p in inputs if p is not None]
    if is_stdout(target):
        _write_stdout(write, stdout)
        return
    path = Path(target)
    check_output(path, sources, overwrite)
    try:
        write_atomic(path, write)
    except PermissionError:
        raise InputError(
            Problem(
                _("cannot write the output here: permission denied; if the file is open in Excel or WPS, close it"),
                file=str(path),
            )
        ) from None
    except IsADirectoryError:
        raise InputError(Problem(_("cannot write the output here: it is a folder"), file=str(path))) from None
    except (NotADirectoryError, FileExistsError):
        raise InputError(
            Problem(_("cannot write the output here: a part of the path is a file, not a folder"), file=str(path))
        ) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise InputError(
            Problem(_("cannot write the output here: {reason}").format(reason=reason), file=str(path))
        ) from None


def write_text_output(
    target: Path | str, text: str, inputs: Iterable[Path | None] = (), overwrite: bool = True
) -> None:
    """A text output (UTF-8); ``-`` prints it."""
    data = text.encode("utf-8")
    write_output(target, lambda temp: temp.write_bytes(data), inputs, overwrite)


def write_text_stream(
    target: Path | str, write: Callable[[TextIO], object], inputs: Iterable[Path | None] = (), overwrite: bool = True
) -> None:
    """A text output written piece by piece (UTF-8, line ends as given) by ``write(stream)``, through the
    same guard and temporary file as :func:`write_output`: a large result never has to be one string."""

    def into(temp: Path) -> None:
        with open(temp, "w", encoding="utf-8", newline="") as stream:
            write(stream)

    write_output(target, into, inputs, overwrite)


def _write_stdout(write: Callable[[Path], object], stdout: BinaryIO | None) -> None:
    handle, name = tempfile.mkstemp(prefix=".kaoping-", suffix=".tmp")
    os.close(handle)
    temp = Path(name)
    try:
        write(temp)
        data = temp.read_bytes()
    finally:
        temp.unlink(missing_ok=True)
    if stdout is not None:
        stdout.write(data)
        stdout.flush()
        return
    import click

    click.echo(data, nl=False)  # bytes go to the binary stream, untouched by the console's encoding


def written_message(target: Path | str) -> str:
    return _("wrote {path}").format(path=target)


__all__ = [
    "STDOUT",
    "check_output",
    "is_stdout",
    "output_problem",
    "write_output",
    "write_text_output",
    "write_text_stream",
    "written_message",
]
