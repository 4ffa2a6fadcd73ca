"""Format ``report``: the check report of one edition as JSON and HTML (alignment matrix included).

It receives the build's check report (the checks run once per build) beside the compiled edition."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from course.checks import Report
from course.compiled import CompiledEdition, CompiledQuiz
from course.forms import expected_untested, form_ids, paper_seed
from course.lint import key_length_rank
from course.model import SingleChoice, TrueFalse
from exporters._templates import environment

FORMS_ENUMERATED = 1000  # forms 0..999 (course test-form seeds) for the observed untested-objective figure


def _distribution(values: list[int]) -> dict[str, int]:
    """Counts of 1..max(values) (zeros included, so a missing position shows), keyed as strings for JSON."""
    counts = Counter(values)
    return {str(k): counts[k] for k in range(1, max(values, default=0) + 1)}


def bank_statistics(quiz: CompiledQuiz) -> dict[str, object]:
    """Item statistics of one bank as delivered in an edition: cues in the keys and objective coverage of forms."""
    single = [i for i in quiz.items if isinstance(i, SingleChoice)]
    tf = [i for i in quiz.items if isinstance(i, TrueFalse)]
    per_objective = Counter(i.objective for i in quiz.items)
    objective_of = {i.id: i.objective for i in quiz.items}
    untested = [len(per_objective) - len({objective_of[i] for i in form_ids(quiz, paper_seed(n, quiz.id))})
                for n in range(FORMS_ENUMERATED)]
    return {
        "id": quiz.id, "title": quiz.title, "role": quiz.role, "items": len(quiz.items),
        "kinds": dict(sorted(Counter(i.kind for i in quiz.items).items())),
        "single_choice": len(single),
        "key_position": _distribution([[o.id for o in i.options].index(i.key_id) + 1 for i in single]),
        "key_length_rank": _distribution([key_length_rank(i) for i in single]),
        "true_false_keys": {"true": sum(1 for i in tf if i.key), "false": sum(1 for i in tf if not i.key)},
        "objectives": dict(per_objective),
        "form": {
            "size": quiz.draw if quiz.draw is not None else len(quiz.items),
            "per_objective": quiz.blueprint.per_objective if quiz.blueprint else None,
            "expected_untested": round(expected_untested(quiz), 4),
            "observed_untested": round(sum(untested) / len(untested), 4),
            "forms_enumerated": FORMS_ENUMERATED,
        },
    }


def export(ed: CompiledEdition, out_dir: Path, *, checks: Report, strict: bool = False) -> Path:
    """Write ``<id>-<edition>-report.json`` and ``.html``; returns the JSON path."""
    rep = checks.editions[ed.edition]
    objectives = [
        {"id": o.id, "lesson": lesson.id, "text": o.text, "items": rep.matrix.get(o.id, []),
         "final_items": rep.final_matrix.get(o.id, [])}
        for lesson in ed.lessons for o in lesson.objectives
    ]
    quizzes = [lesson.quiz for lesson in ed.lessons if lesson.quiz] + ([ed.final_test] if ed.final_test else [])
    data = {
        "banks": [bank_statistics(q) for q in quizzes],
        "course": ed.course_id, "version": ed.version, "edition": ed.edition,
        "diagnostics": [str(d) for d in checks.diagnostics_for(ed.edition)],
        "objectives": objectives, "item_facts": rep.item_facts,
        "reading_grade": rep.grades, "words": rep.words, "items": rep.items,
        "contact_hours": rep.contact_hours, "contact_method": rep.contact_method,
        "added_facts": checks.added_facts,
    }
    path = out_dir / ed.artifact("report", "json")
    path.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    html = environment("exporters", "report_templates").get_template("report.html").render(
        ed=ed, data=data, edition=ed.edition)
    (out_dir / ed.artifact("report", "html")).write_text(html, encoding="utf-8")
    return path
