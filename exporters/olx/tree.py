"""The OLX file tree of one edition: course -> chapter -> sequential -> vertical -> components."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from lxml import etree

from course.compiled import CompiledEdition, CompiledQuiz, objective_text
from course.forms import form_items
from course.model import Objective
from course.scoring import shuffled
from exporters._templates import environment
from exporters.olx import capa
from exporters.olx.policy import GradedQuiz, course_image, grading_policy, policy

ORG = "CourseKit"
IMAGE = "course_image.png"
QUIZ_TAG, LESSON_TAG = "attachment_quiz", "attachment_lesson"
_ITEM_META = {"lint_ignore", "editions"}


def _xml(el: etree._Element) -> str:
    return etree.tostring(el, pretty_print=True, encoding="unicode")


def run_name(version: str) -> str:
    """The course run (and policies folder) name: ``v`` + the version with dots as underscores."""
    return "v" + re.sub(r"[^A-Za-z0-9]+", "_", version).strip("_")


def quiz_items(quiz: CompiledQuiz) -> list:
    """The fixed form a quiz delivers: the seeded draw of the pool, following the blueprint when there is one
    (course/forms.py), the same for every learner (capa alone has no pool; see ``banks="itembank"``)."""
    return form_items(quiz, f"olx:{quiz.id}")


def bank_groups(quiz: CompiledQuiz, form: list) -> list[tuple[str, list, int]]:
    """(group id, pool items, how many to show) of the Problem Banks that replace a fixed form.

    With a blueprint: one bank per objective showing as many items as the fixed form takes from that
    objective (``per_objective``, plus the fixed form's share of the rest), so every learner's form covers
    every objective and has the fixed form's length. Without one: a single bank showing the draw.
    """
    if quiz.blueprint is None:
        return [("all", list(quiz.items), len(form))]
    objectives = list(dict.fromkeys(i.objective for i in quiz.items))
    return [(obj, [i for i in quiz.items if i.objective == obj], sum(1 for i in form if i.objective == obj))
            for obj in objectives]


@dataclass
class OlxTree:
    """Collects the archive's files (paths under ``course/``) while walking the edition."""

    edition: CompiledEdition
    flavour: str
    banks: str = "fixed"  # "itembank": drawn quizzes become Problem Banks (builtin flavour; docs/openedx.md)
    files: dict[str, str | bytes] = field(default_factory=dict)
    graded: list[GradedQuiz] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.env = environment("exporters.olx", "templates")
        self.plain = self.edition.plain_language

    # ------------------------------------------------------------ writers

    def put(self, path: str, content: str | bytes) -> None:
        """Add one file; a second file at the same path is a bug (url_names must be unique)."""
        assert f"course/{path}" not in self.files, f"duplicate OLX file {path}"
        self.files[f"course/{path}"] = content

    def node(self, tag: str, url_name: str, display_name: str, children: list[tuple[str, str]],
             **attrs: str) -> tuple[str, str]:
        """Write ``<tag>/<url_name>.xml`` holding pointers to ``children``; returns its own pointer."""
        el = etree.Element(tag, {"display_name": display_name, **attrs})
        for child_tag, child_name in children:
            if child_tag == "inline":
                el.append(etree.fromstring(child_name))
            else:
                etree.SubElement(el, child_tag, url_name=child_name)
        self.put(f"{tag}/{url_name}.xml", _xml(el))
        return tag, url_name

    def html(self, url_name: str, display_name: str, body: str) -> tuple[str, str]:
        """An html component: pointer file plus the body."""
        self.put(f"html/{url_name}.xml", _xml(etree.Element("html", filename=url_name, display_name=display_name)))
        self.put(f"html/{url_name}.html", static_urls(body))
        return "html", url_name

    def objective(self, objective: Objective) -> str:
        """The edition's wording of an objective (course.compiled.objective_text decides)."""
        return objective_text(objective, self.edition.edition)

    def render(self, template: str, **ctx: object) -> str:
        """Render a template of this exporter."""
        return self.env.get_template(template).render(plain=self.plain, objective_text=self.objective,
                                                        definition=self.edition.definition, **ctx)

    # ------------------------------------------------------------ structure

    def build(self) -> dict[str, str | bytes]:
        """Every file of the archive."""
        e = self.edition
        run = run_name(e.version)
        chapters = [self.front()]
        for lesson in e.lessons:
            chapters.append(self.lesson(lesson))
        if e.final_test:
            seq = self.quiz(e.final_test, "Final test", "FT")
            chapters.append(self.node("chapter", "ch-final", "Final test", [seq]))
        if e.evaluation:
            body = self.render("evaluation.html", ev=e.evaluation)
            vert = self.node("vertical", "vert-evaluation", e.evaluation.title,
                             [self.html("html-evaluation", e.evaluation.title, body)])
            seq = self.node("sequential", "seq-evaluation", e.evaluation.title, [vert])
            chapters.append(self.node("chapter", "ch-evaluation", "Course evaluation", [seq]))
        number = f"{e.course_id}-{e.edition}"
        self.put("course.xml", _xml(etree.Element("course", url_name=run, org=ORG, course=number)))
        course = etree.Element("course")
        for tag, name in chapters:
            etree.SubElement(course, tag, url_name=name)
        self.put(f"course/{run}.xml", _xml(course))
        modules = [QUIZ_TAG, LESSON_TAG] if self.flavour == "xblock" else []
        self.put(f"policies/{run}/policy.json", _json(policy(e, run, image=IMAGE, advanced_modules=modules)))
        self.put(f"policies/{run}/grading_policy.json", _json(grading_policy(e, self.graded)))
        self.put("policies/assets.json", "{}\n")
        self.put(f"static/{IMAGE}", course_image())
        for path, data in self.edition.assets.items():
            self.put(f"static/{path}", data)
        self.put("about/overview.html", self.render("overview.html", e=e))
        self.put("about/short_description.html", e.description + "\n")
        return self.files

    def front(self) -> tuple[str, str]:
        """'Start here': the course pages and the glossary."""
        seqs = []
        for page in self.edition.pages:
            vert = self.node("vertical", f"vert-page-{page.id}", page.title,
                             [self.html(f"html-page-{page.id}", page.title, page.html)])
            seqs.append(self.node("sequential", f"seq-page-{page.id}", page.title, [vert]))
        if self.edition.glossary:
            body = self.render("glossary.html", terms=self.edition.glossary)
            vert = self.node("vertical", "vert-glossary", "Glossary", [self.html("html-glossary", "Glossary", body)])
            seqs.append(self.node("sequential", "seq-glossary", "Glossary", [vert]))
        return self.node("chapter", "ch-start", "Start here", seqs)

    def lesson(self, lesson) -> tuple[str, str]:
        """A lesson chapter: the lesson text, then its quiz."""
        objectives = [objective_text(o, self.edition.edition) for o in lesson.objectives]
        intro = self.render("lesson_intro.html", objectives=objectives, terms=lesson.terms)
        if self.flavour == "xblock":
            components = [self.custom_lesson(lesson, objectives)]
        else:
            components = [self.html(f"html-{lesson.id}-intro", "Objectives and key terms", intro),
                          self.html(f"html-{lesson.id}", lesson.title, lesson.learner_html)]
        vert = self.node("vertical", f"vert-{lesson.id}", lesson.title, components)
        seqs = [self.node("sequential", f"seq-{lesson.id}", lesson.title, [vert])]
        if lesson.quiz:
            seqs.append(self.quiz(lesson.quiz, f"Lesson {lesson.number} quiz", f"L{lesson.number}"))
        return self.node("chapter", f"ch-{lesson.id}", f"Lesson {lesson.number}: {lesson.title}", seqs)

    def quiz(self, quiz: CompiledQuiz, fmt: str, label: str) -> tuple[str, str]:
        """A quiz subsection, graded under its own assignment type when the edition is graded."""
        items = quiz_items(quiz)
        points = sum(i.points for i in items)
        intro = self.render("quiz_intro.html", quiz=quiz, count=len(items), points=points,
                            attempts=quiz.attempts, graded=quiz.graded, pass_mark=self.edition.result_pass_mark)
        components = [self.html(f"html-{quiz.id}-intro", "About this quiz", intro)]
        if self.flavour == "xblock":
            components.append(self.custom_quiz(quiz, items, points))
        elif self.banks == "itembank" and len(items) < len(quiz.items):
            for number, (group, pool, count) in enumerate(bank_groups(quiz, items), start=1):
                problems = [self.problem(quiz, item, f"Question {number}.{m}") for m, item in enumerate(pool, 1)]
                components.append(self.node("itembank", f"ib-{quiz.id}-{group}", f"Question {number}", problems,
                                            max_count=str(count)))
        else:
            ordered = shuffled(items, f"olx:{quiz.id}:order") if quiz.shuffle else items
            components += [self.problem(quiz, item, f"Question {n}") for n, item in enumerate(ordered, start=1)]
        vert = self.node("vertical", f"vert-{quiz.id}", quiz.title, components)
        attrs = {}
        if quiz.graded:
            attrs = {"graded": "true", "format": fmt}
            self.graded.append(GradedQuiz(fmt=fmt, short_label=label, points=points))
        return self.node("sequential", f"seq-{quiz.id}", quiz.title, [vert], **attrs)

    def problem(self, quiz: CompiledQuiz, item, display_name: str) -> tuple[str, str]:
        """One item as a capa problem file; returns its pointer."""
        el = capa.problem(item, display_name=display_name, attempts=quiz.attempts, shuffle=quiz.shuffle)
        self.put(f"problem/p-{quiz.id}-{item.id}.xml", _xml(el))
        return "problem", f"p-{quiz.id}-{item.id}"

    # ------------------------------------------------------------ xblock flavour

    def custom_lesson(self, lesson, objectives: list[str]) -> tuple[str, str]:
        """The lesson as an attachment_lesson block, written inline (pure XBlocks take no pointer files)."""
        intro = self.render("lesson_intro.html", objectives=[], terms=lesson.terms) if lesson.terms else ""
        el = etree.Element(LESSON_TAG, url_name=f"xl-{lesson.id}", display_name=lesson.title)
        for text in objectives:
            etree.SubElement(el, "objective").text = text
        etree.SubElement(el, "body").text = static_urls(lesson.learner_html) + intro
        return _inline(el)

    def custom_quiz(self, quiz: CompiledQuiz, items: list, points: float) -> tuple[str, str]:
        """The quiz as one attachment_quiz block carrying its items (keys and objectives included) as JSON
        children. A drawing quiz carries its whole pool and blueprint instead: the block draws each
        learner's form per attempt on the server (attachment_course_xblocks.forms)."""
        el = etree.Element(QUIZ_TAG, {
            "url_name": f"xq-{quiz.id}", "display_name": quiz.title, "max_attempts": str(quiz.attempts),
            "weight": f"{points:g}", "shuffle": "true" if quiz.shuffle else "false",
            "pass_mark": str(self.edition.result_pass_mark or 0),
        })
        if quiz.draw:
            blueprint = quiz.blueprint  # the final test's blueprint (course/forms.py)
            el.set("draw", str(quiz.draw))
            el.set("per_objective", str(blueprint.per_objective if blueprint else 0))
            items = quiz.items
        for item in items:
            data = item.model_dump(mode="json", exclude=_ITEM_META)
            etree.SubElement(el, "item").text = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return _inline(el)


def _inline(el: etree._Element) -> tuple[str, str]:
    """Marker the vertical writer expands into the element itself."""
    return "inline", _xml(el)


def _json(data: object) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# OLX ships no stylesheet with html components, so the boxes that must stand out carry their style inline.
BOX_STYLES = {
    "gethelp": "border: 2px solid #a3271f; border-left-width: 8px; padding: 0.25rem 1rem 0.75rem; margin: 1.25rem 0",
    "callout": "border-left: 4px solid #1f5f8b; background: #eef4f8; padding: 0.25rem 1rem; margin: 1.25rem 0",
}


def static_urls(html: str) -> str:
    """Lesson HTML for Open edX: images (``images/...``, see Course.assets) at the course's /static/ folder,
    and the get-help box and callouts styled inline."""
    for kind, style in BOX_STYLES.items():
        html = html.replace(f'<section class="blk {kind}">', f'<section class="blk {kind}" style="{style}">')
    return html.replace(' src="images/', ' src="/static/images/')
