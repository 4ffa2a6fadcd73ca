"""Cross-file course checks: references, coverage, alignment, reading level, contact hours."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from rich.console import Console
from rich.table import Table

from course import lint
from course.contact import contact_hours, lesson_minutes
from course.diagnostics import Collector, Diagnostic
from course.model import Block, Course, Item

VAGUE_VERBS = {"understand", "know", "learn", "appreciate", "realize", "grasp", "comprehend", "be"}


@dataclass
class EditionReport:
    """Figures and the objectives x items alignment matrix of one edition."""

    edition: str
    matrix: dict[str, list[str]] = field(default_factory=dict)  # objective id -> item ids
    final_matrix: dict[str, list[str]] = field(default_factory=dict)
    item_facts: dict[str, list[str]] = field(default_factory=dict)  # item id -> fact ids
    grades: dict[str, float] = field(default_factory=dict)  # lesson id -> FK grade
    words: dict[str, int] = field(default_factory=dict)
    items: int = 0
    contact_hours: float = 0.0
    contact_method: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)  # what this edition's own checks found


@dataclass
class Report:
    """Everything ``course check`` found."""

    diagnostics: Collector
    editions: dict[str, EditionReport]
    # The facts the course adds to the source (register ``added:``), as the report lists them.
    added_facts: list[dict[str, str]] = field(default_factory=list)

    def diagnostics_for(self, edition: str) -> list[Diagnostic]:
        """What concerns ``edition``: the course-wide findings and its own (not the other editions'), in
        the order found; the same whichever editions were checked together."""
        others = {id(d) for name, rep in self.editions.items() if name != edition for d in rep.diagnostics}
        return [d for d in self.diagnostics.items if id(d) not in others]


class _Checker:
    def __init__(self, course: Course):
        self.c = course
        self.out = Collector()

    def at(self, key: str) -> tuple[str, int]:
        loc = self.c.where(key)
        return (loc.path, loc.line) if loc else ("lessons/course.yaml", 0)

    def error(self, key: str, message: str, code: str) -> None:
        self.out.error(*self.at(key), message, code)

    def warning(self, key: str, message: str, code: str) -> None:
        self.out.warning(*self.at(key), message, code)

    # ------------------------------------------------------------------ ids and references
    def ids(self) -> None:
        seen: dict[str, str] = {}
        groups = [
            ("fact", [f.id for f in self.c.facts.all_facts()]),
            ("term", [t.id for t in self.c.glossary.terms]),
            ("objective", [o.id for _, o in self.c.objectives()]),
            ("item", [i.id for q in self.c.quizzes for i in q.items]),
            ("bank", [q.id for q in self.c.quizzes]),
        ]
        for kind, ids in groups:
            seen.clear()
            for ident in ids:
                if ident in seen:
                    self.error(f"{kind}:{ident}", f"id: duplicate {kind} id '{ident}'", "id.duplicate")
                seen[ident] = kind
        lessons_with_quiz: dict[str, str] = {}
        for q in self.c.quizzes:
            if q.role == "lesson":
                if q.lesson in lessons_with_quiz:
                    self.error(f"bank:{q.id}", f"lesson: '{q.lesson}' already has quiz "
                               f"'{lessons_with_quiz[q.lesson]}'", "id.duplicate")
                lessons_with_quiz[q.lesson or ""] = q.id
        finals = [q.id for q in self.c.quizzes if q.role == "final"]
        for extra in finals[1:]:
            self.error(f"bank:{extra}", "role: only one final test is allowed", "id.duplicate")

    def references(self) -> None:
        facts = {f.id for f in self.c.facts.all_facts()}
        terms = {t.id for t in self.c.glossary.terms}
        lessons = {lesson.id: lesson for lesson in self.c.lessons}
        objective_lesson = {o.id: lesson.id for lesson, o in self.c.objectives()}
        for t in self.c.glossary.terms:
            for f in t.facts:
                if f not in facts:
                    self.error(f"term:{t.id}", f"facts: unknown fact '{f}'", "ref.fact")
        for lesson in self.c.lessons:
            for f in lesson.facts:
                if f not in facts:
                    self.error(f"lesson:{lesson.id}", f"facts: unknown fact '{f}'", "ref.fact")
            for t in lesson.terms:
                if t not in terms:
                    self.error(f"lesson:{lesson.id}", f"terms: unknown glossary term '{t}'", "ref.term")
            for b in lesson.blocks:
                for f in b.facts:
                    if f not in lesson.facts:
                        self.out.error(lesson.path, b.line, f"block '{b.kind}': fact '{f}' is not among this "
                                       "lesson's facts", "ref.fact")
        for q in self.c.quizzes:
            if q.role == "lesson" and q.lesson not in lessons:
                self.error(f"bank:{q.id}", f"lesson: unknown lesson '{q.lesson}'", "ref.lesson")
            for ed in q.editions:
                if ed not in self.c.manifest.editions:
                    self.error(f"bank:{q.id}", f"editions: unknown edition '{ed}'", "ref.edition")
            for item in q.items:
                key = f"item:{item.id}"
                owner = objective_lesson.get(item.objective)
                if owner is None:
                    self.error(key, f"objective: unknown objective '{item.objective}'", "ref.objective")
                elif q.role == "lesson" and owner != q.lesson:
                    self.error(key, f"objective: '{item.objective}' belongs to lesson '{owner}', not to "
                               f"'{q.lesson}'", "ref.objective")
                taught_in = lessons.get(q.lesson or owner or "")
                for f in item.facts:
                    if f not in facts:
                        self.error(key, f"facts: unknown fact '{f}'", "ref.fact")
                    elif taught_in is not None and f not in taught_in.facts:
                        self.error(key, f"facts: '{f}' is not taught in lesson '{taught_in.id}' (never test "
                                   "what was not taught)", "align.untaught")
                if q.settings.draw and q.settings.draw > len(q.items):
                    self.error(f"bank:{q.id}", f"settings.draw: {q.settings.draw} is more than the "
                               f"{len(q.items)} items in the bank", "quiz.draw")

    def paragraphs(self) -> None:
        reg = self.c.facts
        cited = {p for f in reg.facts for p in f.paragraphs}
        excluded = {e.paragraph for e in reg.excluded if not e.partial}
        for e in reg.excluded:
            if e.partial and e.paragraph not in cited:
                self.error(f"exclusion:{e.paragraph}", f"excluded: {e.paragraph} is marked partial but no "
                           "fact cites it", "source.paragraph")
        for p in sorted(cited & excluded):
            self.error(f"exclusion:{p}", f"excluded: {p} is excluded but also cited by a fact",
                       "source.paragraph")
        for n in range(1, reg.paragraphs + 1):
            p = f"P{n:02d}"
            if p not in cited and p not in excluded:
                self.error("facts", f"paragraphs: {p} is neither cited by a fact nor excluded with a reason",
                           "source.paragraph")
        for p in sorted(cited | {e.paragraph for e in reg.excluded}):
            if int(p[1:]) > reg.paragraphs:
                self.error("facts", f"paragraphs: {p} is beyond P{reg.paragraphs:02d}", "source.paragraph")
        taught = {f for lesson in self.c.lessons for f in lesson.facts}
        for f in self.c.facts.all_facts():
            if f.id not in taught:
                self.warning(f"fact:{f.id}", f"fact '{f.id}' is registered but no lesson teaches it",
                             "align.unused-fact")

    # ------------------------------------------------------------------ content structure
    def lesson_content(self) -> None:
        """What every lesson needs in every edition (issue: objectives, vignette, reflections, ...)."""
        for lesson in self.c.lessons:
            key = f"lesson:{lesson.id}"
            if not 2 <= len(lesson.objectives) <= 4:
                self.warning(key, f"objectives: {len(lesson.objectives)} objectives; 2 to 4 are expected",
                             "lesson.objectives")
            for obj in lesson.objectives:
                first = obj.text.split()[0].lower().strip(",.") if obj.text.split() else ""
                if first in VAGUE_VERBS:
                    self.error(f"objective:{obj.id}", f"objective '{obj.id}' starts with '{first}', which is "
                               "not measurable: use an observable verb (identify, explain, ...)",
                               "lesson.objective-verb")
            for name in self.c.manifest.editions:
                shown = [b for b in lesson.blocks if name in b.editions and not b.facilitator_only]
                kinds = Counter(b.kind for b in shown)
                for kind, need in (("vignette", 1), ("reflection", 2), ("keypoints", 1)):
                    if kinds[kind] < need:
                        self.warning(key, f"the {name} edition shows {kinds[kind]} {kind} block(s); at least "
                                     f"{need} expected", "lesson.blocks")
                if not any(b.kind == "facilitator" and name in b.editions for b in lesson.blocks):
                    self.warning(key, f"no facilitator notes in the {name} edition", "lesson.blocks")
            words = lesson.views["staff"].words if "staff" in lesson.views else 0  # type: ignore[index]
            if "staff" in lesson.views and not 700 <= words <= 1500:
                self.warning(key, f"the staff text has {words} words; 700 to 1,500 are expected",
                             "lesson.length")

    def quiz_content(self) -> None:
        """Bank sizes and mix (issue: >= 8 items, >= 3 kinds, >= 30 % scenarios; family >= 5)."""
        graded = [n for n, e in self.c.manifest.editions.items() if e.graded]
        for bank in self.c.quizzes:
            key = f"bank:{bank.id}"
            for name in self.c.manifest.editions:
                items = bank.items_for(name)
                if not items:
                    continue
                if bank.role == "final":
                    if len(items) < 30:
                        self.warning(key, f"the final test has {len(items)} items in the {name} edition; a "
                                     "pool of at least 30 is expected", "quiz.size")
                    continue
                if name in graded:
                    kinds = {i.kind for i in items}
                    scenarios = sum(1 for i in items if i.scenario)
                    if len(items) < 8 or len(kinds) < 3:
                        self.warning(key, f"{len(items)} items of {len(kinds)} kinds in the {name} edition; at "
                                     "least 8 items of 3 kinds are expected", "quiz.size")
                    if items and scenarios / len(items) < 0.3:
                        self.warning(key, f"{scenarios} of {len(items)} items are scenario-based in the {name} "
                                     "edition; at least 30 % are expected", "quiz.scenarios")
            family = [i for i in bank.items if "family" in (i.editions or bank.editions)]
            if bank.role == "lesson" and "family" in self.c.manifest.editions and len(family) < 5:
                self.warning(key, f"{len(family)} family 'check your understanding' items; at least 5 are "
                             "expected", "quiz.size")
        if self.c.evaluation and len(self.c.evaluation.questions) < 8:
            self.warning("evaluation", f"the evaluation has {len(self.c.evaluation.questions)} questions; at "
                         "least 8 are expected", "quiz.evaluation")
        if len(self.c.glossary.terms) < 15:
            self.warning("term:" + self.c.glossary.terms[0].id, f"the glossary has {len(self.c.glossary.terms)} "
                         "terms; at least 15 are expected", "lesson.glossary")

    # ------------------------------------------------------------------ safety and wording
    def _documents(self, edition: str) -> Iterator[tuple[str, str, tuple[Block, ...]]]:
        """(key, path, blocks) of every page and lesson ``edition`` shows, in course order."""
        for page in self.c.pages:
            if edition in page.editions:
                yield f"page:{page.id}", page.path, page.blocks
        for lesson in self.c.lessons:
            yield f"lesson:{lesson.id}", lesson.path, lesson.blocks

    def gethelp(self) -> None:
        """The get-help box opens every edition and sits in every lesson that teaches a flagged fact."""
        flagged = {f.id for f in self.c.facts.all_facts() if f.needs_gethelp}
        missing: dict[tuple[str, str], list[str]] = {}  # (key, what is wrong) -> editions
        for name in self.c.manifest.editions:
            first = next(self._documents(name), None)
            if first and not any(b.kind == "gethelp" and b.shown(name) for b in first[2]):
                missing.setdefault((first[0], "first"), []).append(name)
            for lesson in self.c.lessons:
                needs = [f for f in lesson.facts if f in flagged]
                if needs and not any(b.kind == "gethelp" and b.shown(name) for b in lesson.blocks):
                    missing.setdefault((f"lesson:{lesson.id}", ", ".join(needs)), []).append(name)
        for (key, what), eds in missing.items():
            where = _in_editions(eds)
            if what == "first":
                self.error(key, f"the first page {where} does not show the get-help box: add '::: gethelp' "
                           "(an empty block) near its top", "safety.gethelp")
            else:
                self.error(key, f"the lesson teaches {what} (needs_gethelp in lessons/facts.yaml) but shows no "
                           f"get-help box {where}: add '::: gethelp' beside that passage", "safety.gethelp")

    def additions(self) -> None:
        """While the register lists course-added facts, every edition shows them (``::: additions``)."""
        if not self.c.facts.added:
            return
        missing = [name for name in self.c.manifest.editions
                   if not any(b.kind == "additions" and b.shown(name) for _, _, blocks in self._documents(name)
                              for b in blocks)]
        if missing:
            self.error("facts:added", f"added: the course adds {len(self.c.facts.added)} fact(s) of its own, but no "
                       f"page lists them {_in_editions(missing)}: add '::: additions' to the source page",
                       "source.additions")

    def case_names(self) -> None:
        """A case name (first word of a vignette title) appears in only one vignette per edition."""
        seen: dict[tuple[str, str], tuple[str, int]] = {}
        clashes: dict[tuple[str, int, str, str, int], list[str]] = {}
        for name in self.c.manifest.editions:
            for _, path, blocks in self._documents(name):
                for b in blocks:
                    words = re.findall(r"[^\W\d_][\w'-]*", b.title) if b.kind == "vignette" else []
                    if not words or name not in b.editions:
                        continue
                    first = seen.setdefault((name, words[0].lower()), (path, b.line))
                    if first != (path, b.line):
                        clashes.setdefault((path, b.line, words[0], *first), []).append(name)
        for (path, line, case, first_path, first_line), eds in clashes.items():
            self.out.error(path, line, f"case name '{case}' is already used by the vignette at {first_path}:"
                           f"{first_line} {_in_editions(eds)}: give each case its own name", "lesson.case-name")

    def retired_phrases(self) -> None:
        """No phrase listed in lessons/retired-phrases.yaml appears in any text the course shows."""
        if not self.c.retired:
            return
        phrases = [(_normal(r.phrase), r) for r in self.c.retired]
        texts = list(lint._texts(self.c))  # every text the course shows
        for fact in self.c.facts.all_facts():
            where = self.c.where(f"fact:{fact.id}")
            texts.append((where.path if where else "lessons/facts.yaml", where.line if where else 1, fact.statement))
        for path, line, text in texts:
            normal = _normal(text)
            for phrase, retired in phrases:
                if phrase in normal:
                    self.out.error(path, line, f"retired phrase '{retired.phrase}': {retired.reason}",
                                   "text.retired-phrase")

    def blueprints(self) -> None:
        """A blueprint the pool cannot satisfy would give forms that skip an objective or overrun the total."""
        for bank in self.c.quizzes:
            bp = bank.settings.blueprint
            if bp is None:
                continue
            key = f"blueprint:{bank.id}"
            for name in self.c.manifest.editions:
                items = bank.items_for(name)
                if not items:
                    continue
                counts = Counter(i.objective for i in items)
                for obj, n in counts.items():
                    if n < bp.per_objective:
                        self.error(key, f"settings.blueprint: per_objective is {bp.per_objective} but objective "
                                   f"'{obj}' has {n} item(s) in the {name} edition's pool", "quiz.blueprint")
                total = min(bank.settings.draw, len(items)) if bank.settings.draw else len(items)
                if bp.per_objective * len(counts) > total:
                    self.error(key, f"settings.blueprint: {bp.per_objective} item(s) x {len(counts)} objectives = "
                               f"{bp.per_objective * len(counts)} is more than the {total} items a form holds in "
                               f"the {name} edition (settings.draw)", "quiz.blueprint")

    def accreditation(self) -> None:
        """A certificate edition needs references, disclosure and policy fields (issue #10); unset is a warning."""
        from course.accreditation import missing

        if not any(e.certificate for e in self.c.manifest.editions.values()):
            return
        for section, name in missing(self.c.manifest):
            self.warning("manifest", f"{section}.{name}: not set; the CE accreditor pages print it as missing "
                         "(set it, or state in words that the source does not give it)", "ce.accreditation")
        expires = self.c.manifest.policies.expires
        if expires is not None and expires <= self.c.manifest.date:
            self.error("manifest", f"policies.expires: {expires} is not after the release date "
                       f"{self.c.manifest.date}", "ce.accreditation")

    # ------------------------------------------------------------------ per edition
    def edition(self, name: str) -> EditionReport:
        ed = self.c.edition(name)
        rep = EditionReport(edition=name)
        items_by_lesson: dict[str, list[Item]] = {}
        for q in self.c.quizzes:
            for item in q.items_for(name):
                rep.item_facts[item.id] = list(item.facts)
                target = rep.final_matrix if q.role == "final" else rep.matrix
                target.setdefault(item.objective, []).append(item.id)
                if q.role == "lesson":
                    items_by_lesson.setdefault(q.lesson or "", []).append(item)
        for lesson, obj in self.c.objectives():
            rep.matrix.setdefault(obj.id, [])
            if ed.final_test:
                rep.final_matrix.setdefault(obj.id, [])
            if not ed.assess_objectives:
                continue
            n = len(rep.matrix[obj.id])
            if n < 2:
                self.error(f"objective:{obj.id}", f"objective '{obj.id}' is assessed by {n} item(s) of "
                           f"lesson '{lesson.id}' in the {name} edition; at least 2 are needed", "align.objective")
            if ed.final_test and not rep.final_matrix[obj.id]:
                self.error(f"objective:{obj.id}", f"objective '{obj.id}' has no final-test item in the {name} "
                           "edition", "align.objective")
        for lesson in self.c.lessons:
            view = lesson.views[name]  # type: ignore[index]
            rep.grades[lesson.id] = view.grade
            rep.words[lesson.id] = view.words
            self.reading_level(f"lesson:{lesson.id}", view.grade, name)
            session = sum(b.minutes for b in lesson.blocks
                          if b.kind == "activity" and name in b.editions and b.delivery != "self")
            if session and session != lesson.minutes:
                self.warning(f"lesson:{lesson.id}", f"minutes: activities in the {name} edition add up to "
                             f"{session} min, the lesson declares {lesson.minutes}", "time.session")
        for snippet in self.c.snippets:  # the get-help box, the guide's answers to families' questions, ...
            self.reading_level(f"snippet:{snippet.name}", snippet.grades.get(name, 0.0), name)  # type: ignore[call-overload]
        final = self.c.final_test()
        if ed.final_test and (final is None or not final.items_for(name)):
            self.error(f"edition:{name}", f"the {name} edition has final_test but no final bank has items "
                       "for it", "quiz.final")
        if ed.evaluation and (self.c.evaluation is None or name not in self.c.evaluation.editions):
            self.error(f"edition:{name}", f"the {name} edition has evaluation but quizzes/evaluation.yaml "
                       "does not include it", "quiz.evaluation")
        rep.items = sum(len(v) for v in rep.matrix.values()) + sum(len(v) for v in rep.final_matrix.values())
        hours = contact_hours(self.c, name)
        rep.contact_hours, rep.contact_method = hours.hours, hours.method
        if ed.contact_hours is not None and abs(ed.contact_hours - hours.hours) > 1e-9:
            self.error(f"edition:{name}", f"contact_hours: declared {ed.contact_hours:g} but computed "
                       f"{hours.hours:g} ({hours.method})", "time.contact-hours")
        self.quiz_timing(name)
        for lesson in self.c.lessons:
            needed = lesson_minutes(self.c, lesson, name)
            if ed.contact_hours is not None and needed > lesson.minutes:
                self.warning(f"lesson:{lesson.id}", f"minutes: the lesson's self-study time in the {name} edition "
                             f"is {needed:.0f} min (reading, self-study activities, quiz items) but it declares only "
                             f"{lesson.minutes}", "time.contact-hours")
        return rep

    def reading_level(self, key: str, grade: float, name: str) -> None:
        """Learner text above the edition's reading ceiling (text inside ::: facilitator is not measured)."""
        ceiling = self.c.edition(name).reading_grade_max
        if grade > ceiling:
            self.warning(key, f"reading level: Flesch-Kincaid grade {grade} is above the {name} edition's ceiling "
                         f"of {ceiling:g}", "text.reading-level")

    def quiz_timing(self, name: str) -> None:
        """A session's quiz slot holds one item per objective at >= 1 min per item + 2 min debrief per 3 items
        (issue #10); the guide's run sheet then answers a seeded subset in the room and sets the rest as homework."""
        from course.sessions import quiz_activity, quiz_minutes

        per_item = self.c.manifest.contact_hours.minutes_per_item
        for lesson in self.c.lessons:
            bank = self.c.lesson_quiz(lesson.id)
            items = bank.items_for(name) if bank else []
            if not items:
                continue
            acts = [b for b in lesson.blocks if b.kind == "activity" and name in b.editions]
            slot = quiz_activity(acts)
            objectives = len({i.objective for i in items})
            if slot is None:
                self.warning(f"lesson:{lesson.id}", f"the {name} edition has a quiz but no activity titled "
                             "'Check ...' or '... quiz' to run it in", "time.quiz")
            elif quiz_minutes(objectives, per_item) > acts[slot].minutes:
                self.out.warning(lesson.path, acts[slot].line, f"activity '{acts[slot].title}': {acts[slot].minutes} "
                                 f"min cannot hold one item for each of {objectives} objectives in the {name} edition "
                                 f"({quiz_minutes(objectives, per_item)} min: 1 min per item + 2 min of debrief per "
                                 "3 items)", "time.quiz")


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def _in_editions(names: list[str]) -> str:
    """'in the family edition' / 'in the staff, ce editions'."""
    return f"in the {', '.join(names)} edition{'s' if len(names) > 1 else ''}"


def _normal(text: str) -> str:
    """Lower case, straight quotes, single spaces: how retired phrases are compared."""
    return " ".join(text.translate(_QUOTES).lower().split())


def run(course: Course, editions: Sequence[str] | None = None) -> Report:
    """Run every check; findings are in ``report.diagnostics``."""
    checker = _Checker(course)
    checker.ids()
    checker.references()
    checker.paragraphs()
    checker.lesson_content()
    checker.quiz_content()
    checker.gethelp()
    checker.additions()
    checker.case_names()
    checker.retired_phrases()
    checker.blueprints()
    checker.accreditation()
    names = [e for e in (editions or course.manifest.editions) if e in course.manifest.editions]
    reports = {}
    for name in names:
        start = len(checker.out.items)
        reports[name] = checker.edition(name)
        reports[name].diagnostics = checker.out.items[start:]
    lint.run(course, checker.out)
    added = [{"id": f.id, "statement": f.statement, "basis": f.basis} for f in course.facts.added]
    return Report(diagnostics=checker.out, editions=reports, added_facts=added)


def print_summary(report: Report, console: Console) -> None:
    """A rich table of per-edition figures."""
    table = Table(title="Course check", title_justify="left")
    for col in ("edition", "objectives", "assessed >= 2", "items", "max FK grade", "contact h"):
        table.add_column(col, justify="right" if col != "edition" else "left")
    for name, rep in report.editions.items():
        ok = sum(1 for ids in rep.matrix.values() if len(ids) >= 2)
        table.add_row(name, str(len(rep.matrix)), str(ok), str(rep.items),
                      f"{max(rep.grades.values(), default=0):.1f}", f"{rep.contact_hours:g}")
    console.print(table)
    errors = sum(1 for d in report.diagnostics.items if d.level == "error")
    warnings = sum(1 for d in report.diagnostics.items if d.level == "warning")
    console.print(f"{errors} error(s), {warnings} warning(s)", markup=False)
