"""Format ``cmi5``: the same player as the SCORM packages, launched by a cmi5 LMS and reporting xAPI to its LRS.

One AU holds the whole edition, as one SCO does in SCORM: the course result is one rule (the final test, or
completion for the family edition), so one AU keeps moveOn and the LMS's view the same as in every other format.
``cmi5.js`` is the adapter; ``cmi5-meta.js`` gives it each item's objective and facts for the ``answered``
statements' context. See docs/scorm.md (cmi5).
"""

from __future__ import annotations

from pathlib import Path

from course.compiled import CompiledEdition
from exporters._archive import write_zip
from exporters._templates import environment
from exporters.scorm import js_assignment, player_files

# Extensions of this project's own (xAPI extension keys must be IRIs; a URN needs no domain of ours).
EXTENSION_BASE = "urn:x-course-kit:xapi:"
# The LRS is elsewhere: the page may talk to https origins (and its own, for a same-origin endpoint).
CONNECT_SRC = "'self' https:"


def course_iri(course_id: str, edition: str) -> str:
    return f"urn:x-course-kit:{course_id}:{edition}"


def package(ed: CompiledEdition) -> dict[str, str | bytes]:
    edition = ed.edition
    files, data = player_files(ed, "2004", extra_scripts=("cmi5-meta.js", "cmi5.js"), extra_static=("cmi5.js",),
                               connect_src=CONNECT_SRC)
    quizzes = [lesson.quiz for lesson in ed.lessons if lesson.quiz] + ([ed.final_test] if ed.final_test else [])
    meta = {"ext": EXTENSION_BASE,
            "items": {i.id: {"obj": i.objective, "facts": list(i.facts)} for q in quizzes for i in q.items}}
    files["cmi5-meta.js"] = js_assignment("CMI5_META", meta)
    graded = data["pass"] is not None
    files["cmi5.xml"] = environment("exporters.scorm").get_template("cmi5.xml").render(
        course_iri=course_iri(ed.course_id, edition), au_iri=course_iri(ed.course_id, edition) + ":au",
        language=ed.language, title=ed.title, au_title=f"{ed.title} ({ed.settings.title})",
        description=ed.description, move_on="CompletedAndPassed" if graded else "Completed",
        mastery=f"{data['pass'] / 100:g}" if graded else None,
    )
    return files


def export(ed: CompiledEdition, out_dir: Path, *, strict: bool = False) -> Path:
    """Write ``<course-id>-<edition>-cmi5.zip``; returns its path."""
    return write_zip(out_dir / ed.artifact("cmi5", "zip"), package(ed))
