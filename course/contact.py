"""Contact hours per delivery format, each rounded down to the course's step (course.yaml: contact_hours).

Home study (the learner works alone):

hours = floor((words / reading_wpm + selfstudy activity minutes + items x minutes_per_item)
              / (60 x round_down_hours)) x round_down_hours

Words are the self-study learner text of every lesson and course page in the edition (``::: delivery
group`` text is left out: a self-paced learner never sees it); items are every item a learner answers
(all lesson-quiz items, plus the final test's draw, not its pool).

Live group (a facilitator runs the sessions):
hours = floor((scheduled session minutes + drawn post-test items x minutes_per_item)
              / (60 x round_down_hours)) x round_down_hours

Session minutes are the minutes of the edition's activities in every lesson (breaks are not counted);
reading, reflection and the lesson quizzes happen inside those sessions, so they are not added again.
Defaults: reading_wpm 120, minutes_per_item 1, round_down_hours 0.25 (docs/authoring.md#contact-hours).
"""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict

from course.model import Course, Lesson


class ContactHours(BaseModel):
    """The computed figure and every input, kept as evidence for an accreditor."""

    model_config = ConfigDict(frozen=True)

    words: int
    reading_wpm: int
    reading_minutes: float
    activity_minutes: int
    items: int
    item_minutes: float
    total_minutes: float
    hours: float
    method: str


def answered_items(course: Course, edition: str) -> int:
    """How many items a learner of ``edition`` answers."""
    count = sum(len(q.items_for(edition)) for q in course.quizzes if q.role == "lesson")
    final = course.final_test()
    if final and course.edition(edition).final_test:
        pool = len(final.items_for(edition))
        count += min(pool, final.settings.draw or pool)
    return count


def selfstudy_minutes(lesson: Lesson, edition: str) -> int:
    """Minutes of the lesson's ``selfstudy=yes`` activities a self-paced learner of ``edition`` does."""
    return sum(b.minutes for b in lesson.blocks
               if b.kind == "activity" and b.selfstudy and edition in b.editions and b.delivery != "group")


def lesson_minutes(course: Course, lesson: Lesson, edition: str) -> float:
    """Self-study minutes one lesson contributes: reading + self-study activities + its quiz items."""
    rules = course.manifest.contact_hours
    bank = course.lesson_quiz(lesson.id)
    items = len(bank.items_for(edition)) if bank else 0
    activity = selfstudy_minutes(lesson, edition)
    return lesson.views[edition].words / rules.reading_wpm + activity + items * rules.minutes_per_item  # type: ignore[index]


def contact_hours(course: Course, edition: str) -> ContactHours:
    """Contact hours of one edition."""
    rules = course.manifest.contact_hours
    words = sum(lesson.views[edition].words for lesson in course.lessons)  # type: ignore[index]
    words += sum(p.views[edition].words for p in course.pages if edition in p.editions)  # type: ignore[index]
    activity = sum(selfstudy_minutes(lesson, edition) for lesson in course.lessons)
    items = answered_items(course, edition)
    reading = words / rules.reading_wpm
    total = reading + activity + items * rules.minutes_per_item
    hours = _round_down(total, rules.round_down_hours)
    method = (f"{words} words at {rules.reading_wpm} words per minute = {reading:.1f} min; "
              f"self-study activities {activity} min; {items} quiz items at {rules.minutes_per_item:g} min "
              f"= {items * rules.minutes_per_item:g} min; total {total:.1f} min, rounded down to the nearest "
              f"{rules.round_down_hours:g} hour = {hours:g} contact hours")
    return ContactHours(words=words, reading_wpm=rules.reading_wpm, reading_minutes=round(reading, 2),
                        activity_minutes=activity, items=items, item_minutes=items * rules.minutes_per_item,
                        total_minutes=round(total, 2), hours=hours, method=method)


class LiveHours(BaseModel):
    """Contact hours of facilitated group delivery, with their inputs."""

    model_config = ConfigDict(frozen=True)

    sessions: int
    session_minutes: int
    test_items: int
    test_minutes: float
    total_minutes: float
    hours: float
    method: str


def _round_down(minutes: float, step_hours: float) -> float:
    """Hours, rounded down to ``step_hours`` (a tiny epsilon keeps exact multiples exact)."""
    return math.floor(minutes / (60 * step_hours) + 1e-9) * step_hours


def live_hours(course: Course, edition: str) -> LiveHours:
    """Contact hours when the edition is delivered as live group sessions."""
    rules = course.manifest.contact_hours
    sessions = [sum(b.minutes for b in lesson.blocks if b.kind == "activity" and edition in b.editions)
                for lesson in course.lessons]
    final = course.final_test()
    test_items = 0
    if final and course.edition(edition).final_test:
        pool = len(final.items_for(edition))
        test_items = min(pool, final.settings.draw or pool)
    test_minutes = test_items * rules.minutes_per_item
    total = sum(sessions) + test_minutes
    hours = _round_down(total, rules.round_down_hours)
    method = (f"{len(sessions)} facilitated sessions with {sum(sessions)} min of scheduled activities (breaks not "
              f"counted); post-test of {test_items} drawn items at {rules.minutes_per_item:g} min = {test_minutes:g} "
              f"min; total {total:g} min, rounded down to the nearest {rules.round_down_hours:g} hour = {hours:g} "
              "contact hours")
    return LiveHours(sessions=len(sessions), session_minutes=sum(sessions), test_items=test_items,
                     test_minutes=test_minutes, total_minutes=total, hours=hours, method=method)
