"""Formats ``scorm12`` and ``scorm2004``: one SCO holding the whole edition, with its own player.

The package is ``index.html`` + ``core.js`` (hashing, scoring, state encoding) + ``player.js``
(screens, SCORM adapters) + ``player.css`` + ``course-data.js`` (the edition, keys only as salted
digests) + ``imsmanifest.xml``. See docs/scorm.md for the status rules.
"""

from __future__ import annotations

import json
import logging
from importlib import resources
from pathlib import Path

from course.compiled import CompiledEdition
from course.diagnostics import ExportError
from exporters._archive import write_zip
from exporters._templates import environment
from exporters.scorm.data import player_data, suspend_length

log = logging.getLogger("course.build")

SUSPEND_LIMIT_12 = 4096  # SCORM 1.2 smallest permitted maximum of cmi.suspend_data
STATIC = ("core.js", "lms.js", "player.js", "player.css")
FORMAT = {"1.2": "scorm12", "2004": "scorm2004"}


def worst_case_suspend_data(ed: CompiledEdition) -> int:
    """Longest cmi.suspend_data the player can write for the edition (its encoding is fixed-width)."""
    return suspend_length(player_data(ed, "1.2"))


def js_assignment(name: str, value: object) -> str:
    """``window.NAME = <json>;``: how the player's data files are written."""
    return f"window.{name} = " + json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + ";\n"


def player_files(ed: CompiledEdition, version: str, *, extra_scripts: tuple[str, ...] = (),
                 extra_static: tuple[str, ...] = (),
                 connect_src: str = "'self'") -> tuple[dict[str, str | bytes], dict]:
    """The player and one edition's data (archive name -> content), shared by the SCORM and cmi5 packages.

    ``extra_scripts`` load after lms.js (adapters and their data); ``extra_static`` are copied from static/."""
    data = player_data(ed, version)
    env = environment("exporters.scorm")
    files: dict[str, str | bytes] = {
        "course-data.js": js_assignment("COURSE_DATA", data),
        "index.html": env.get_template("index.html").render(
            language=ed.language, title=ed.title, edition_title=ed.settings.title,
            extra_scripts=list(extra_scripts), connect_src=connect_src),
    }
    static = resources.files("exporters.scorm") / "static"
    for name in STATIC + extra_static:
        files[name] = (static / name).read_bytes()
    files.update(ed.assets)  # lesson images, referenced as images/... from index.html
    return files, data


def package(ed: CompiledEdition, version: str) -> dict[str, str | bytes]:
    """Every file of the package, manifest included (archive name -> content)."""
    files, data = player_files(ed, version)
    env = environment("exporters.scorm")
    context = {
        "identifier": f"{ed.course_id}-{ed.edition}-{FORMAT[version]}", "version": ed.version,
        "title": ed.title, "item_title": f"{ed.title} ({ed.settings.title})", "description": ed.description,
        "language": ed.language, "launch": "index.html", "mastery": data["pass"],
        "scaled_mastery": None if data["pass"] is None else f"{data['pass'] / 100:g}",
        "metadata_href": "metadata.xml",
    }
    if version == "1.2":
        # 1.2 inline LOM would have to validate against imsmd_rootv1p2p1.xsd, which libxml2 cannot compile.
        files["metadata.xml"] = env.get_template("metadata-12.xml").render(**context)
    files["imsmanifest.xml"] = env.get_template(f"imsmanifest-{FORMAT[version][5:]}.xml").render(
        files=sorted(files), **context)
    return files


def export(ed: CompiledEdition, out_dir: Path, *, strict: bool = False, version: str = "2004") -> Path:
    """Write ``<course-id>-<edition>-scorm12.zip`` or ``…-scorm2004.zip``; returns its path."""
    if version not in FORMAT:
        raise ExportError(f"SCORM export needs version 1.2 or 2004 (got {version!r})")
    edition = ed.edition
    worst = worst_case_suspend_data(ed)
    if worst > SUSPEND_LIMIT_12:
        raise ExportError(f"{edition}: worst-case suspend_data is {worst} characters, over SCORM 1.2's "
                          f"{SUSPEND_LIMIT_12}; shorten quizzes or split the course")
    log.info("%s %s: worst-case suspend_data %d of %d characters", FORMAT[version], edition, worst,
             SUSPEND_LIMIT_12)
    files = package(ed, version)
    path = out_dir / ed.artifact(FORMAT[version], "zip")
    return write_zip(path, files)
