"""One edition's view of the course: what every exporter shows, already filtered and resolved."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from course.contact import ContactHours, LiveHours, contact_hours, live_hours
from course.model import (
    Block,
    Blueprint,
    Course,
    Edition,
    Evaluation,
    GlossaryTerm,
    Item,
    Objective,
    Provider,
    QuizBank,
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class CompiledQuiz(_Frozen):
    """A quiz as one edition delivers it (settings resolved against the edition)."""

    id: str
    title: str
    role: str
    lesson: str | None
    pass_mark: int
    attempts: int
    shuffle: bool
    draw: int | None
    blueprint: Blueprint | None = Field(None, description="stratified draw by objective (course/forms.py)")
    graded: bool = Field(description="counts toward the course result (see counts_toward_result)")
    items: list[Item]


class CompiledLesson(_Frozen):
    """A lesson in one edition."""

    id: str
    number: int
    title: str
    minutes: int
    objectives: list[Objective]
    terms: list[GlossaryTerm]
    learner_html: str
    facilitator_html: str
    workbook_html: str = Field("", description="print for learners: group and self-study parts, labelled")
    words: int
    grade: float
    activities: list[Block] = Field(description="the facilitated session's activities (not 'delivery self')")
    quiz: CompiledQuiz | None


class CompiledPage(_Frozen):
    """A course-level page in one edition."""

    id: str
    title: str
    html: str
    workbook_html: str = Field("", description="print: group and self-study parts, labelled")


class CompiledEdition(_Frozen):
    """Everything an exporter needs for one edition."""

    course_id: str
    title: str
    subtitle: str
    version: str
    language: str
    description: str
    date: dt.date
    author: str
    level: str
    delivery_format: str
    source_document: str
    provider: Provider
    publisher: str = Field("", description="who publishes the course (the PDFs' document author)")
    paper: str = Field("a4", description="the PDFs' paper size unless a build sets another (--paper)")
    edition: str
    settings: Edition
    plain_language: bool = Field(False, description="its readers get the plain wording wherever there is one "
                                                    "(objectives, glossary definitions, the player's phrasing)")
    contact: ContactHours = Field(description="home-study (self-paced) contact hours")
    live_contact: LiveHours | None = Field(None, description="contact hours of live group delivery")
    pages: list[CompiledPage]
    lessons: list[CompiledLesson]
    final_test: CompiledQuiz | None
    evaluation: Evaluation | None
    glossary: list[GlossaryTerm]
    gethelp_html: str = Field("", description="the edition's get-help box alone (for the facilitator guide)")
    snippets: dict[str, str] = Field(default_factory=dict, description="name -> the edition's text of "
                                     "lessons/snippets/<name>.md, rendered for print (the facilitator guide's own "
                                     "texts, guide-*.md); a course without the file has no entry")
    assets: dict[str, bytes] = Field(default_factory=dict, exclude=True,
                                     description="images referenced as 'images/...' by the lesson HTML")

    @property
    def assessment(self) -> str | None:
        """What decides the course result: "final", "lessons" (together) or None (ungraded)."""
        if self.final_test and self.final_test.graded:
            return "final"
        return "lessons" if any(lesson.quiz and lesson.quiz.graded for lesson in self.lessons) else None

    @property
    def result_pass_mark(self) -> int | None:
        """The pass mark of the course result (the final test's own mark when it decides)."""
        if self.assessment == "final" and self.final_test:
            return self.final_test.pass_mark
        return self.settings.pass_mark if self.assessment else None

    @property
    def home_study_hours(self) -> float | None:
        """The contact hours this edition awards for home study (the declared figure, which a check holds to
        the computed one), or None when the edition awards none."""
        return self.settings.contact_hours

    def definition(self, term: GlossaryTerm) -> str:
        """A glossary term's definition as this edition's readers get it."""
        return term.plain if self.plain_language and term.plain else term.definition

    def artifact(self, fmt: str, ext: str) -> str:
        """``<course-id>-<edition>-<format>.<ext>``: the one naming rule for artifacts."""
        return f"{self.course_id}-{self.edition}-{fmt}.{ext}"

    @property
    def result_attempts(self) -> int | None:
        """Attempts at what decides the result (the final test's own setting when it decides)."""
        if self.assessment == "final" and self.final_test:
            return self.final_test.attempts
        return self.settings.attempts if self.assessment else None


def counts_toward_result(course: Course, bank: QuizBank, edition: str) -> bool:
    """The course's pass rule: the final test decides when the edition has one; otherwise the lesson
    quizzes together; ungraded editions (family) have no pass/fail at all."""
    ed = course.edition(edition)
    if not ed.graded:
        return False
    has_final = ed.final_test and course.final_test() is not None
    return bank.role == "final" if has_final else bank.role == "lesson"


def _quiz(course: Course, bank: QuizBank, edition: str) -> CompiledQuiz | None:
    items = bank.items_for(edition)
    if not items:
        return None
    ed = course.edition(edition)
    return CompiledQuiz(
        id=bank.id, title=bank.title, role=bank.role, lesson=bank.lesson,
        pass_mark=bank.settings.pass_mark if bank.settings.pass_mark is not None else ed.pass_mark,
        attempts=bank.settings.attempts or ed.attempts, shuffle=bank.settings.shuffle,
        draw=min(bank.settings.draw, len(items)) if bank.settings.draw else None,
        blueprint=bank.settings.blueprint,
        graded=counts_toward_result(course, bank, edition), items=items,
    )


# Editions whose learners read the plain wording (objectives, glossary definitions) wherever it exists.
PLAIN_LANGUAGE = frozenset({"family"})
# Editions that show the measurable wording everywhere (accreditors require behavioural objectives).
MEASURABLE_OBJECTIVES = frozenset({"ce"})


def objective_text(objective: Objective, edition: str, *, workbook: bool = False) -> str:
    """The one rule for objective wording: CE shows the measurable ``text`` everywhere, family the ``plain``
    wording everywhere, and staff the plain wording in its printed workbook and ``text`` elsewhere."""
    if edition in MEASURABLE_OBJECTIVES:
        return objective.text
    if edition in PLAIN_LANGUAGE or workbook:
        return objective.plain or objective.text
    return objective.text


def compile_edition(course: Course, edition: str) -> CompiledEdition:
    """The view of ``course`` that ``edition`` delivers."""
    m = course.manifest
    ed = course.edition(edition)
    lessons = []
    for number, lesson in enumerate(course.lessons, start=1):
        view = lesson.views[edition]  # type: ignore[index]
        bank = course.lesson_quiz(lesson.id)
        lessons.append(CompiledLesson(
            id=lesson.id, number=number, title=lesson.title_for(edition), minutes=lesson.minutes,
            # An edition that shows only measurable wording does not carry the lay wording at all.
            objectives=[o.model_copy(update={"plain": ""}) if edition in MEASURABLE_OBJECTIVES else o
                        for o in lesson.objectives],
            terms=[t for t in (course.term(tid) for tid in lesson.terms) if t],
            learner_html=view.learner_html, facilitator_html=view.facilitator_html,
            workbook_html=view.workbook_html or view.learner_html,
            words=view.words, grade=view.grade,
            activities=[b for b in lesson.blocks
                        if b.kind == "activity" and edition in b.editions and b.delivery != "self"],
            quiz=_quiz(course, bank, edition) if bank else None,
        ))
    final = course.final_test()
    evaluation = course.evaluation if course.evaluation and ed.evaluation else None
    compiled = CompiledEdition(
        course_id=m.id, title=m.title, subtitle=m.subtitle, version=m.version, language=m.language,
        description=m.description, date=m.date, author=m.author, level=m.level,
        delivery_format=m.delivery_format, source_document=m.source_document, provider=m.provider,
        publisher=m.publisher, paper=m.paper, edition=edition, settings=ed,
        plain_language=edition in PLAIN_LANGUAGE, contact=contact_hours(course, edition),
        live_contact=live_hours(course, edition),
        pages=[CompiledPage(id=p.id, title=p.title_for(edition), html=p.views[edition].learner_html,  # type: ignore[index]
                            workbook_html=p.views[edition].workbook_html or p.views[edition].learner_html)  # type: ignore[index]
               for p in course.pages if edition in p.editions],
        lessons=lessons,
        final_test=_quiz(course, final, edition) if final and ed.final_test else None,
        evaluation=evaluation if evaluation and edition in evaluation.editions else None,
        glossary=sorted(course.glossary.terms, key=lambda t: t.term.lower()),
        gethelp_html=next((s.boxes.get(edition, "") for s in course.snippets if s.name == "get-help"), ""),  # type: ignore[call-overload]
        snippets={s.name: s.html[edition] for s in course.snippets},  # type: ignore[index]
        assets=course.assets,
    )
    from course import accreditation  # imports this module

    return compiled.model_copy(update={"pages": [*compiled.pages, *accreditation.pages(course, compiled)]})
