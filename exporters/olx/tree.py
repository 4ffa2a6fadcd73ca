"""The OLX file tree of one edition: course -> chapter -> sequential -> vertical -> components."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from lxml import etree

from course.compiled import CompiledEdition, CompiledQuiz, objective_text
from course.model import Objective
from course.scoring import draw, shuffled
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
    """The items a quiz delivers: the seeded draw of the pool (the same for every learner: capa has no pool)."""
    picked = set(draw([i.id for i in quiz.items], quiz.draw, f"olx:{quiz.id}"))
    return [i for i in quiz.items if i.id in picked]


@dataclass
class OlxTree:
    """Collects the archive's files (paths under ``course/``) while walking the edition."""

    edition: CompiledEdition
    flavour: str
    files: dict[str, str | bytes] = field(default_factory=dict)
    graded: list[GradedQuiz] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.env = environment("exporters.olx", "templates")
        self.plain = self.edition.edition == "family"  # family readers get learner-language wording

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
        return self.env.get_template(template).render(plain=self.plain, objective_text=self.objective, **ctx)

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
        else:
            ordered = shuffled(items, f"olx:{quiz.id}:order") if quiz.shuffle else items
            for n, item in enumerate(ordered, start=1):
                el = capa.problem(item, display_name=f"Question {n}", attempts=quiz.attempts, shuffle=quiz.shuffle)
                self.put(f"problem/p-{quiz.id}-{item.id}.xml", _xml(el))
                components.append(("problem", f"p-{quiz.id}-{item.id}"))
        vert = self.node("vertical", f"vert-{quiz.id}", quiz.title, components)
        attrs = {}
        if quiz.graded:
            attrs = {"graded": "true", "format": fmt}
            self.graded.append(GradedQuiz(fmt=fmt, short_label=label, points=points))
        return self.node("sequential", f"seq-{quiz.id}", quiz.title, [vert], **attrs)

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
        """The quiz as one attachment_quiz block carrying its items (keys included) as JSON children."""
        el = etree.Element(QUIZ_TAG, {
            "url_name": f"xq-{quiz.id}", "display_name": quiz.title, "max_attempts": str(quiz.attempts),
            "weight": f"{points:g}", "shuffle": "true" if quiz.shuffle else "false",
            "pass_mark": str(self.edition.result_pass_mark or 0),
        })
        for item in items:
            data = item.model_dump(mode="json", exclude=_ITEM_META)
            etree.SubElement(el, "item").text = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return _inline(el)


def _inline(el: etree._Element) -> tuple[str, str]:
    """Marker the vertical writer expands into the element itself."""
    return "inline", _xml(el)


def _json(data: object) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def static_urls(html: str) -> str:
    """Point lesson images (``images/...``, see Course.assets) at the course's /static/ folder."""
    return html.replace(' src="images/', ' src="/static/images/')
