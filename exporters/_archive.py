"""Deterministic archives: sorted entries, fixed timestamps and modes, so rebuilds are byte-identical."""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

FIXED_ZIP_DATE = (2000, 1, 1, 0, 0, 0)


def write_zip(path: Path, files: Mapping[str, bytes | str]) -> Path:
    """Write ``files`` (archive name -> content) as a deflated zip with sorted, timeless entries."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            data = files[name]
            zf.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return path


def write_tar_gz(path: Path, files: Mapping[str, bytes | str]) -> Path:
    """Write ``files`` as a gzip tarball with sorted entries, mtime 0 and root ownership."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        dirs = sorted({str(Path(n).parent) for n in files if str(Path(n).parent) != "."} |
                      {str(p) for n in files for p in Path(n).parents if str(p) != "."})
        for d in dirs:
            info = tarfile.TarInfo(d)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, 0
            tar.addfile(info)
        for name in sorted(files):
            data = files[name]
            blob = data.encode("utf-8") if isinstance(data, str) else data
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(blob), 0o644, 0
            tar.addfile(info, io.BytesIO(blob))
    with open(path, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
        gz.write(raw.getvalue())
    return path
