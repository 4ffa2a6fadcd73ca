"""How much of one edition's lesson text another edition shares, sentence by sentence.

The CE edition must be its own course, not the staff text again (issue #10: less than half shared).
A sentence counts as shared when the same sentence (case and spacing ignored) appears anywhere in the
other edition's text of the same lesson; the figure is the share of the edition's words that sit in
shared sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from course.model import Course

_SENTENCE = re.compile(r"(?<=[.!?:])\s+|\n+")


@dataclass(frozen=True)
class Overlap:
    """Words of ``edition`` in sentences that ``other`` also has, per lesson and in total."""

    edition: str
    other: str
    shared_words: int
    total_words: int
    per_lesson: dict[str, tuple[int, int]]

    @property
    def share(self) -> float:
        """Shared words as a fraction of all the edition's lesson words."""
        return self.shared_words / self.total_words if self.total_words else 0.0


def sentences(text: str) -> list[str]:
    """The normalised sentences of a plain text."""
    return [s for s in (" ".join(part.lower().split()) for part in _SENTENCE.split(text)) if s]


def overlap(course: Course, edition: str, other: str) -> Overlap:
    """Share of ``edition``'s learner lesson text found sentence for sentence in ``other``."""
    per: dict[str, tuple[int, int]] = {}
    for lesson in course.lessons:
        mine = sentences(lesson.views[edition].text)  # type: ignore[index]
        theirs = set(sentences(lesson.views[other].text))  # type: ignore[index]
        shared = sum(len(s.split()) for s in mine if s in theirs)
        per[lesson.id] = (shared, sum(len(s.split()) for s in mine))
    return Overlap(edition, other, sum(s for s, _ in per.values()), sum(t for _, t in per.values()), per)
