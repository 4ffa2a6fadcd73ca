"""Content-addressed build keys: each artifact's key is the hash of everything it is made from.

A build records, in ``<out>/.build-keys.json``, every artifact's key, the hash of each input that went into
the key, its files with their hashes and the notes its exporter logged. The next build computes the keys
again; an artifact whose key is unchanged and whose files in the last good ``<out>`` still match is reused
as it is, so a no-change rebuild renders nothing, and the recorded input hashes say why anything else is
rebuilt (``course build --explain``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import platform
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import Any

from course.checks import Report
from course.compiled import CompiledEdition

KEYS_FILE = ".build-keys.json"
SCHEMA = 1
ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "course"
EXPORTERS = ROOT / "exporters"
PROJECT = "attachment-course-kit"
# Libraries whose version can change an artifact's bytes (layout, archives, HTML); from pyproject.toml.
LIBRARIES = ("pydantic", "pyyaml", "jinja2", "markdown-it-py", "mdit-py-plugins", "nh3", "lxml", "weasyprint",
             "pydyf", "fonttools", "pypdf", "pikepdf")
# What each input means, for --explain.
INPUT_NAMES = {
    "edition": "compiled edition", "assets": "images", "checks": "check results", "exporter": "exporter code",
    "engine": "engine code", "options": "options", "tools": "tool versions",
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _files(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += [p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                    and p.suffix != ".pyc"]
        elif path.is_file():
            out.append(path)
    return sorted(set(out))


def tree_digest(paths: Iterable[Path], root: Path) -> str:
    """One hash over the names (relative to ``root``) and bytes of every file under ``paths`` (folders walked)."""
    h = hashlib.sha256()
    for path in _files(paths):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + sha256(path.read_bytes()).encode() + b"\n")
    return h.hexdigest()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


@dataclass
class Key:
    """An artifact's key and the hashes of the inputs it was made from."""

    digest: str
    inputs: dict[str, str]


@dataclass
class Inputs:
    """Hashes of one build's inputs; each is computed once, whatever number of artifacts shares it.

    ``editions`` are the build's compiled editions and ``checks`` its check report: all an exporter reads."""

    editions: Mapping[str, CompiledEdition]
    options: Mapping[str, Any]
    strict: bool = False
    checks: Report | None = None
    _hashes: dict[tuple[str, str], str] = field(default_factory=dict)
    _code: dict[tuple[str, ...], str] = field(default_factory=dict)

    def _once(self, what: str, edition: str, make: Any) -> str:
        if (what, edition) not in self._hashes:
            self._hashes[(what, edition)] = make()
        return self._hashes[(what, edition)]

    def edition(self, edition: str) -> str:
        """The compiled edition's canonical JSON (what the edition's exporters read)."""
        return self._once("edition", edition, lambda: sha256(self.editions[edition].model_dump_json().encode()))

    def assets(self, edition: str) -> str:
        """The images the edition's lessons use (bytes; not in the edition's JSON)."""
        return self._once("assets", edition, lambda: sha256(json.dumps(
            {k: sha256(v) for k, v in self.editions[edition].assets.items()}, sort_keys=True).encode()))

    def check_results(self, edition: str) -> str:
        """What the checks found that concerns ``edition``, and its figures (the report exporter's input)."""
        assert self.checks is not None, "this build has no check report"
        checks = self.checks

        def digest() -> str:
            figures = dataclasses.asdict(checks.editions[edition])
            figures["diagnostics"] = [str(d) for d in checks.diagnostics_for(edition)]
            figures["added_facts"] = checks.added_facts
            return sha256(json.dumps(figures, sort_keys=True).encode())

        return self._once("checks", edition, digest)

    @cached_property
    def engine(self) -> str:
        """The course package and the exporters' shared modules (every exporter runs through them)."""
        return sha256((tree_digest([ENGINE], ENGINE) + tree_digest(EXPORTERS.glob("*.py"), EXPORTERS)).encode())

    @cached_property
    def tools(self) -> str:
        versions = {name: _version(name) for name in (PROJECT, *LIBRARIES)}
        versions["python"] = platform.python_version()
        versions["implementation"] = sys.implementation.name
        return sha256(json.dumps(versions, sort_keys=True).encode())

    def exporter(self, sources: tuple[str, ...]) -> str:
        if sources not in self._code:
            self._code[sources] = tree_digest((EXPORTERS / s for s in sources), EXPORTERS)
        return self._code[sources]

    def key(self, fmt: Any, edition: str | None) -> Key:
        """The key of format ``fmt`` (an exporters.Format) for ``edition``."""
        inputs = {
            "exporter": self.exporter(fmt.source_paths()), "engine": self.engine, "tools": self.tools,
            "options": sha256(json.dumps(
                {"target": fmt.target, "format": fmt.options, "strict": self.strict,
                 **{k: v for k, v in self.options.items() if k in fmt.accepts}},
                sort_keys=True, default=str).encode()),
        }
        if fmt.reads in ("edition", "checks"):
            assert edition is not None, f"{fmt.name} reads an edition"
            inputs.update(edition=self.edition(edition), assets=self.assets(edition))
        if fmt.reads == "checks":
            assert edition is not None
            inputs["checks"] = self.check_results(edition)
        digest = sha256(json.dumps(inputs, sort_keys=True).encode())
        return Key(digest, inputs)


@dataclass
class Entry:
    """One artifact as recorded by the build that made it."""

    key: str
    inputs: dict[str, str]
    artifact: str  # the main file, relative to the output folder
    files: dict[str, str]  # every file it wrote, relative to the output folder -> sha256
    notes: list[str] = field(default_factory=list)


def load(out: Path) -> dict[str, Entry]:
    """The entries of the last good build in ``out`` (none when absent or unreadable)."""
    try:
        data = json.loads((out / KEYS_FILE).read_text(encoding="utf-8"))
        if data.get("schema") != SCHEMA:
            return {}
        return {job: Entry(**entry) for job, entry in data["artifacts"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def save(out: Path, entries: Mapping[str, Entry]) -> None:
    """Write the keys file (sorted, no clock: part of a byte-reproducible build)."""
    data = {"schema": SCHEMA, "artifacts": {job: vars(entries[job]) for job in sorted(entries)}}
    path = out / KEYS_FILE
    path.unlink(missing_ok=True)  # may be a hard link to the last good build's file: never write through it
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def intact(out: Path, entry: Entry) -> bool:
    """Whether every file of ``entry`` is still in ``out`` with the bytes that were recorded."""
    for rel, digest in entry.files.items():
        path = out / rel
        if not path.is_file() or sha256(path.read_bytes()) != digest:
            return False
    return bool(entry.files)


def why(old: Entry | None, key: Key, out: Path) -> str | None:
    """None when the recorded artifact can be reused, else the reason to build it."""
    if old is None:
        return "not built before"
    if old.key != key.digest:
        changed = sorted(n for n in set(key.inputs) | set(old.inputs) if key.inputs.get(n) != old.inputs.get(n))
        return "changed: " + ", ".join(INPUT_NAMES.get(n, n) for n in changed)
    if not intact(out, old):
        return "its files in the output folder are missing or were modified"
    return None
