"""Writing figures: format from the extension, same bytes for the same input, atomic replace."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path
from typing import Any

FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
# Metadata that would differ between runs or versions is left out, so output is reproducible.
_METADATA = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None},
             "pdf": {"CreationDate": None, "Producer": None, "Creator": None}}


class UnknownFormat(ValueError):
    pass


def format_of(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise UnknownFormat(f"cannot tell the format of {str(path)!r}: use .png, .svg or .pdf") from None


def _new_file_beside(path: Path) -> tuple[int, Path]:
    """A new, empty file in path's folder, opened for writing, with the permissions an
    ordinary file gets (0666 less the umask: the kernel applies it, so the process's
    umask need not be read, which only setting it can do)."""
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(17, f"no free temporary name beside {str(path)!r}")


def encode(fig: Any, fmt: str, dpi: int) -> bytes:
    """The picture as bytes (for `-o -`: a picture on stdout), as :func:`save` writes it."""
    import io

    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "actcli", "pdf.compression": 6}):
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=_METADATA[fmt], facecolor=fig.get_facecolor())
    return buffer.getvalue()


def save(fig: Any, path: Path, dpi: int) -> None:
    """Render to a temporary file beside the target, then rename it into place: a failure
    leaves neither a partial file nor a clobbered old one. Missing folders are created.

    An existing file keeps its permissions (the new one gets them through its descriptor
    before the rename). A symbolic link is followed: the file it points to is replaced
    and the link stays. A hard link is not: the name gets the new file, and the file's
    other names keep the old picture (that is what replacing by rename means).
    """
    import matplotlib

    fmt = format_of(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    for folder in (path.parent, *path.parent.parents):
        if folder.exists() and not folder.is_dir():  # mkdir would say "File exists"
            raise NotADirectoryError(20, f"{str(folder)!r} is a file, not a folder")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode) if path.is_file() else None
    except OSError:
        mode = None
    fd, tmp = _new_file_beside(path)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle, matplotlib.rc_context({"svg.hashsalt": "actcli", "pdf.compression": 6}):
            fig.savefig(handle, format=fmt, dpi=dpi, metadata=_METADATA[fmt], facecolor=fig.get_facecolor())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
