"""Facilitated delivery: run sheets, quiz timing, 60- and 90-minute session plans and a one-day workshop.

Everything is derived from one ``CompiledEdition`` (activities, their facilitator notes, the lesson quizzes),
so every format that prints a guide gets the same plan. The timing rule for a quiz in a session (issue #10):
at least one minute per item plus two minutes of debrief per three items. When a bank does not fit its slot,
the plan takes a seeded subset that covers every objective the bank assesses and sets the rest as homework.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from course.compiled import CompiledEdition, CompiledLesson
from course.model import Block, Item
from course.scoring import shuffled

BREAK_MINUTES = 10
# The quiz-and-debrief activity of a lesson is the one whose title names it (docs/authoring.md#activities).
QUIZ_TITLE = re.compile(r"\b(check|quiz)\b", re.I)
MATERIALS = (  # (words in the activity's title, or for the first entry its notes, what to have ready)
    (re.compile(r"flip chart|board"), "flip chart and markers"),
    (re.compile(r"^read\b", re.I), "workbook: lesson text"),
    (re.compile(r"\b(case|story|vignette)\b", re.I), "workbook: case page"),
    (re.compile(r"^(quiet )?reflection", re.I), "workbook: reflection pages, pens"),
)


def quiz_minutes(items: int, minutes_per_item: float = 1.0) -> int:
    """Minutes a group needs for ``items`` items: >= 1 min each, plus 2 min of debrief per 3 items."""
    return math.ceil(items * max(1.0, minutes_per_item)) + 2 * math.ceil(items / 3)


def fitting_items(slot: int, minutes_per_item: float = 1.0) -> int:
    """The most items whose answering and debrief fit into ``slot`` minutes."""
    n = 0
    while quiz_minutes(n + 1, minutes_per_item) <= slot:
        n += 1
    return n


@dataclass(frozen=True)
class QuizPlan:
    """Which items a session answers in the room, and which are homework."""

    slot: int
    answered: tuple[str, ...]
    homework: tuple[str, ...]
    answer_minutes: int
    debrief_minutes: int
    covers_objectives: bool


def plan_quiz(items: list[Item], slot: int, seed: str, minutes_per_item: float = 1.0) -> QuizPlan:
    """A seeded subset of ``items`` that fits ``slot`` and, where it can, covers every objective."""
    n = min(len(items), fitting_items(slot, minutes_per_item))
    order = shuffled([i.id for i in items], seed)
    objective = {i.id: i.objective for i in items}
    picked: list[str] = []
    for ident in order:  # first one item per objective, in seeded order
        if len(picked) < n and objective[ident] not in {objective[p] for p in picked}:
            picked.append(ident)
    picked += [i for i in order if i not in picked][: n - len(picked)]
    keep = set(picked)
    answered = tuple(i.id for i in items if i.id in keep)  # in bank order, as printed in the workbook
    covered = {objective[i] for i in answered} == set(objective.values())
    answering = math.ceil(len(answered) * max(1.0, minutes_per_item))  # the rest of the slot is debrief
    return QuizPlan(slot=slot, answered=answered, homework=tuple(i.id for i in items if i.id not in keep),
                    answer_minutes=answering, debrief_minutes=slot - answering, covers_objectives=covered)


@dataclass(frozen=True)
class Step:
    """One row of a run sheet."""

    start: int
    minutes: int
    title: str
    does: str
    materials: tuple[str, ...] = ()
    kind: str = "activity"  # activity | quiz | break


@dataclass(frozen=True)
class SessionPlan:
    """One lesson delivered in ``length`` minutes."""

    lesson: CompiledLesson
    length: int
    steps: tuple[Step, ...]
    quiz: QuizPlan | None
    stretched: tuple[str, ...] = ()


@dataclass(frozen=True)
class Workshop:
    """All lessons in one day."""

    rows: tuple[tuple[str, int, str], ...]  # (clock time, minutes, what)
    total: int
    notes: tuple[str, ...] = field(default=())


def _notes(lesson: CompiledLesson) -> list[tuple[str, str]]:
    """(group instructions, facilitator notes) of each activity, in order, from the facilitator HTML."""
    from lxml import html as lxml_html  # here, not at the top: `course check` imports this module for timing

    found = []
    root = lxml_html.fragment_fromstring(lesson.facilitator_html, create_parent="div")
    for section in root.xpath('.//section[contains(concat(" ", @class, " "), " activity ")]'):
        def text(nodes: list) -> str:
            paragraphs = [" ".join(p.text_content().split()) for n in nodes for p in n.xpath("self::p|.//p|.//li")
                          if "blk-title" not in (p.get("class") or "")]
            return " ".join(p for p in paragraphs if p)
        groups = [d for d in section.xpath('./section[contains(@class, "delivery")]')
                  if "group" in " ".join(d.xpath('./p[@class="blk-title"]/text()')).lower()]
        plain = section.xpath('./p[not(@class)]')
        found.append((text(groups) or text(plain), text(section.xpath('./aside[contains(@class, "facilitator")]'))))
    return found


def _materials(title: str, notes: str) -> tuple[str, ...]:
    return tuple(label for n, (pattern, label) in enumerate(MATERIALS) if pattern.search(notes if n == 0 else title))


def quiz_activity(activities: Sequence[Block]) -> int | None:
    """Index of the last quiz-and-debrief activity among a lesson's ``activities`` (None when it has none)."""
    for index in range(len(activities) - 1, -1, -1):
        if QUIZ_TITLE.search(activities[index].title):
            return index
    return None


def session_plan(ed: CompiledEdition, lesson: CompiledLesson, length: int | None = None,
                 minutes_per_item: float = 1.0) -> SessionPlan:
    """The lesson as a run sheet of ``length`` minutes (default: the lesson's own length).

    A longer session adds a break near the middle, gives five more minutes to the quiz, and shares the
    rest between the two longest discussion activities, in proportion to their length.
    """
    base = lesson.minutes
    length = length or base
    acts = list(lesson.activities)
    minutes = [a.minutes for a in acts]
    q = quiz_activity(acts)
    stretched: list[str] = []
    extra = length - sum(minutes)
    if extra >= BREAK_MINUTES + 5 and acts:
        extra -= BREAK_MINUTES
        if q is not None:
            minutes[q] += 5
            extra -= 5
        longest = sorted((i for i, a in enumerate(acts) if i != q and not a.selfstudy),
                         key=lambda i: (-minutes[i], i))[:2]
        weight = sum(minutes[i] for i in longest) or 1
        for n, i in enumerate(longest):
            add = extra if n == len(longest) - 1 else round(extra * minutes[i] / weight)
            minutes[i] += add
            extra -= add
            stretched.append(acts[i].title)
        with_break = True
    else:
        with_break = False
    notes = _notes(lesson)
    quiz = None
    steps: list[Step] = []
    clock = 0
    half = length / 2
    for i, act in enumerate(acts):
        group, facil = notes[i] if i < len(notes) else ("", "")
        if i == q and lesson.quiz:
            quiz = plan_quiz(lesson.quiz.items, minutes[i], f"{ed.course_id}:{ed.edition}:{lesson.id}:session",
                             minutes_per_item)
            does = (f"Participants answer {len(quiz.answered)} items ({', '.join(quiz.answered)}): "
                    f"{quiz.answer_minutes} min. Debrief: {quiz.debrief_minutes} min.")
            if quiz.homework:
                does += f" Homework: items {', '.join(quiz.homework)}."
            steps.append(Step(clock, minutes[i], act.title, does, ("workbook: quiz pages", "guide: answer key"),
                              "quiz"))
        else:
            does = facil or (f"Participants: {group}" if group else "")  # the notes say what to do; else the task
            steps.append(Step(clock, minutes[i], act.title, does, _materials(act.title, facil)))
        clock += minutes[i]
        if with_break and clock >= half and not any(s.kind == "break" for s in steps) and i < len(acts) - 1:
            steps.append(Step(clock, BREAK_MINUTES, "Break", "Stretch, water, fresh air. Restart on time.",
                              (), "break"))
            clock += BREAK_MINUTES
    if with_break and not any(s.kind == "break" for s in steps):
        steps.insert(len(steps) - 1, Step(steps[-1].start, BREAK_MINUTES, "Break", "Restart on time.", (), "break"))
    return SessionPlan(lesson=lesson, length=length, steps=tuple(steps), quiz=quiz, stretched=tuple(stretched))


def workshop(ed: CompiledEdition, start: int = 9 * 60) -> Workshop:
    """A one-day workshop: every lesson as its standard session, breaks, lunch, post-test and evaluation."""
    rows: list[tuple[str, int, str]] = []
    clock = start

    def add(minutes: int, what: str) -> None:
        nonlocal clock
        rows.append((f"{clock // 60:02d}:{clock % 60:02d}", minutes, what))
        clock += minutes

    add(15, "Welcome, group agreements, the get-help-now box, plan for the day")
    for n, lesson in enumerate(ed.lessons, start=1):
        add(lesson.minutes, f"Session {lesson.number}: {lesson.title} (run sheet as for a single session)")
        if n == (len(ed.lessons) + 1) // 2:
            add(45, "Lunch")
        elif n < len(ed.lessons):
            add(15, "Break")
    if ed.final_test:
        drawn = ed.final_test.draw or len(ed.final_test.items)
        add(drawn + 10, f"{ed.final_test.title}: {drawn} items on paper forms ({drawn} min) plus 10 min to hand "
                        "out, explain and collect")
    if ed.evaluation:
        add(10, "Course evaluation")
    add(10, "Close: what participants will take into practice")
    return Workshop(rows=tuple(rows), total=clock - start)


@dataclass(frozen=True)
class Delivery:
    """Everything a facilitator guide prints about running the edition."""

    plans: dict[str, tuple[SessionPlan, SessionPlan]]  # lesson id -> (standard session, 90-minute session)
    workshop: Workshop
    final_items: int
    final_minutes: int


def clock(minutes: int) -> str:
    """0:05 style session time."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def delivery(ed: CompiledEdition) -> Delivery:
    """Run sheets and plans for every lesson of ``ed``, the workshop day and the group post-test timing."""
    # The course's minutes per item (course.yaml: contact_hours), as recorded with the contact hours.
    minutes_per_item = ed.contact.item_minutes / ed.contact.items if ed.contact.items else 1.0
    plans = {lesson.id: (session_plan(ed, lesson, None, minutes_per_item),
                         session_plan(ed, lesson, 90, minutes_per_item)) for lesson in ed.lessons}
    drawn = (ed.final_test.draw or len(ed.final_test.items)) if ed.final_test else 0
    return Delivery(plans=plans, workshop=workshop(ed), final_items=drawn,
                    final_minutes=math.ceil(drawn * max(1.0, minutes_per_item)) + 10 if drawn else 0)
