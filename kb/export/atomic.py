"""Write a file so that readers see the old content or the new, never half of either."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0666 minus the umask."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: Path, data: str | bytes, *, durable: bool = True) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then `os.replace` it over `path`
    (over a link's target, never the link; a path that is not a regular file, such as /dev/stdout, is written
    to directly).

    The same folder matters: `os.replace` is atomic only within one file system. On any failure the
    temporary file is removed and `path` is left as it was. `durable=False` skips the fsync: a site build
    writing 10,000 files needs readers never to see half a file, not each file to survive a power cut.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path = Path(path).resolve()  # through a link, so the link stays and its target gets the new content
    if path.exists() and not path.is_file():  # /dev/stdout, a FIFO, a device: nothing to replace, just write
        with path.open("wb") as handle:
            handle.write(payload)
        return
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
