"""Language and item-writing lint (rules from shared/reference/item-writing.md).

Each finding reads like every other diagnostic: ``quizzes/q1.yaml:12: warning: … [item.key-length]``.
An item may suppress one rule with ``lint_ignore: [{rule: item.key-length, reason: …}]``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from course.diagnostics import Collector, Level
from course.model import Course, Item, Matching, MultipleResponse, Ordering, QuizBank, SingleChoice, TrueFalse

# Stigmatizing terms and the person-first wording to use instead.
STIGMA: dict[str, str] = {
    r"\baddicts?\b": "a person with a substance use disorder",
    r"\babusers?\b": "a person who uses substances",
    r"\b(substance|drug|alcohol) abuse\b": "substance use",
    r"\balcoholics?\b": "a person with an alcohol use disorder",
    r"\bjunkies?\b": "a person who uses drugs",
    r"\bcrackheads?\b": "a person who uses drugs",
    r"\bclean\b": "'in recovery' or 'not using substances'",
    r"\bdirty\b": "'using substances' or 'a positive test'",
    r"\bdruggies?\b": "a person who uses drugs",
}
# Treatment providers named in the source material: never promoted by the course.
PROVIDERS = (r"\bsiam\s+rehab\b", r"\bsiam\b")
STATISTICS = r"\d+(?:\.\d+)?\s*(?:%|percent\b)|\bstudies (?:show|have shown|prove)\b|\bresearch (?:shows|proves)\b"
ABSOLUTES = r"\b(always|never|all|none|only|every|completely|entirely)\b"
VAGUE = r"\b(often|sometimes|usually|frequently)\b"
NEGATION = r"\b(not|except|least|never|no|cannot|can't|isn't|doesn't|don't|won't|incorrect|false)\b"


def _texts(course: Course) -> Iterator[tuple[str, int, str]]:
    """(path, line, text) of every piece of prose the course shows anyone."""
    for lesson in course.lessons:
        for line, text in lesson.text_lines:
            yield lesson.path, line, text
        for block in lesson.blocks:
            if block.title:
                yield lesson.path, block.line, block.title
        for obj in lesson.objectives:
            where = course.where(f"objective:{obj.id}")
            yield lesson.path, where.line if where else 1, f"{obj.text}\n{obj.plain}"
    for page in course.pages:
        for line, text in page.text_lines:
            yield page.path, line, text
    for snippet in course.snippets:  # e.g. the get-help box, shown inside lessons and pages
        for line, text in snippet.text_lines:
            yield snippet.path, line, text
    for term in course.glossary.terms:
        where = course.where(f"term:{term.id}")
        yield "lessons/glossary.yaml", where.line if where else 1, f"{term.term}. {term.definition}\n{term.plain}"
    for bank in course.quizzes:
        for item in bank.items:
            where = course.where(f"item:{item.id}")
            path, line = (where.path, where.line) if where else ("quizzes", 0)
            yield path, line, "\n".join(_item_strings(item))
    if course.evaluation:
        where = course.where("evaluation")
        for q in course.evaluation.questions:
            yield where.path if where else "quizzes/evaluation.yaml", 1, q.stem


def _item_strings(item: Item) -> list[str]:
    out = [item.stem, item.rationale]
    if isinstance(item, (SingleChoice, MultipleResponse)):
        out += [s for o in item.options for s in (o.text, o.feedback)]
    elif isinstance(item, TrueFalse):
        out += [item.feedback_true, item.feedback_false]
    elif isinstance(item, Matching):
        out += [s for p in item.pairs for s in (p.prompt, p.match, p.feedback)] + [d.text for d in item.distractors]
    elif isinstance(item, Ordering):
        out += [s for st in item.steps for s in (st.text, st.feedback)]
    return out


_STIGMA_ANY = re.compile("|".join(f"(?:{p})" for p in STIGMA))
_STIGMA_EACH = [(re.compile(p), instead) for p, instead in STIGMA.items()]
_PROVIDER_ANY = re.compile("|".join(PROVIDERS))
_STATISTICS = re.compile(STATISTICS)


def language(course: Course, out: Collector) -> None:
    """Stigmatizing terms, provider names and unsupported statistics anywhere in the course."""
    seen: set[tuple[str, int, str]] = set()
    for path, line, text in _texts(course):
        lowered = text.lower()
        findings: list[tuple[Level, str, str]] = []
        if _STIGMA_ANY.search(lowered):  # one pass over clean text, the common case
            for pattern, instead in _STIGMA_EACH:
                for m in pattern.finditer(lowered):
                    findings.append(("error", f"stigmatizing term '{m.group(0)}': say {instead}", "lang.stigma"))
        if _PROVIDER_ANY.search(lowered):
            findings.append(("error", "names a treatment provider: the course promotes no provider", "lang.provider"))
        for m in _STATISTICS.finditer(lowered):
            findings.append(("warning", f"statistic or research claim '{m.group(0)}': the material supports "
                             "no figures", "lang.statistic"))
        for level, message, code in findings:
            if (path, line, message) not in seen:
                seen.add((path, line, message))
                out.add(path, line, level, message, code)


class _ItemLint:
    def __init__(self, course: Course, out: Collector):
        self.course = course
        self.out = out

    def report(self, bank: QuizBank, item: Item, level: Level, message: str, code: str) -> None:
        if any(ig.rule == code for ig in item.lint_ignore):
            return
        where = self.course.where(f"item:{item.id}")
        path, line = (where.path, where.line) if where else (f"quizzes/{bank.id}.yaml", 0)
        if bank.role == "final" and code == "item.none-of-the-above":
            level = "error"
        self.out.add(path, line, level, f"{item.id}: {message}", code)

    def item(self, bank: QuizBank, item: Item) -> None:
        question = _question_sentence(item.stem)
        if not isinstance(item, TrueFalse):
            if re.search(r"\bwhich of the following (is|are|statements?) (true|false|correct|incorrect)\b",
                         item.stem, re.I):
                self.report(bank, item, "warning", "avoid 'Which of the following is true/false' openers",
                            "item.opener")
            if not isinstance(item, (Matching, Ordering)) and not item.stem.rstrip().endswith("?"):
                self.report(bank, item, "warning", "the stem should end with a question mark (state the "
                            "whole question in the stem)", "item.stem-question")
            neg = re.findall(r"\b(not|except|least)\b", question, re.I)
            if any(not w.isupper() for w in neg):
                self.report(bank, item, "warning", "negative stem: write NOT/EXCEPT/LEAST in capitals, or "
                            "word the question positively", "item.negative-stem")
        if not isinstance(item, (SingleChoice, MultipleResponse)):
            return
        texts = [o.text for o in item.options]
        lowered = [t.lower().strip().rstrip(".") for t in texts]
        for t in lowered:
            if re.search(r"\ball of the above\b|\bboth [a-e] and [a-e]\b|\ball (are|of these are) correct\b", t):
                self.report(bank, item, "error", "avoid 'all of the above' and similar options", "item.all-above")
            if re.search(r"\bnone of the above\b|\bnone (are|of these are) correct\b", t):
                self.report(bank, item, "warning", "avoid 'none of the above'", "item.none-of-the-above")
            if re.search(r"\b[a-e] and [a-e]\b", t):
                self.report(bank, item, "error", "no K-type combinations such as 'A and C'", "item.k-type")
        for text, count in Counter(lowered).items():
            if count > 1:
                self.report(bank, item, "error", f"duplicate option '{text}'", "item.duplicate-option")
        if re.search(NEGATION, question, re.I) and any(re.search(r"\b(not|never|no)\b", t) for t in lowered):
            self.report(bank, item, "error", "double negative: negation in the stem and in an option",
                        "item.double-negative")
        for text in texts:
            m = re.search(ABSOLUTES, text, re.I)
            if m:
                self.report(bank, item, "warning", f"absolute term '{m.group(0)}' in option '{text}' cues "
                            "test-wise guessing", "item.absolute")
        keys = {item.key_id} if isinstance(item, SingleChoice) else set(item.key)
        key_len = [len(o.text) for o in item.options if o.id in keys]
        other_len = [len(o.text) for o in item.options if o.id not in keys]
        if isinstance(item, SingleChoice) and other_len:
            mean = sum(other_len) / len(other_len)
            if key_len[0] > 1.5 * mean:
                self.report(bank, item, "warning", f"the key is {key_len[0] / mean:.1f}x the average distractor "
                            "length: make the options similar in length", "item.key-length")
            elif key_len[0] > 1.2 * max(other_len):
                self.report(bank, item, "warning", "the key is clearly the longest option", "item.key-length")
        words = [t.split() for t in lowered]
        prefix = 0
        while all(len(w) > prefix for w in words) and len({w[prefix] for w in words}) == 1:
            prefix += 1
        if prefix >= 3:
            self.report(bank, item, "info", "every option starts with the same words: move them into the stem",
                        "item.repeated-text")

    def key_positions(self) -> None:
        """HDR #20: with shuffling off, no position may hold more than 35 % of single-choice keys."""
        positions: Counter[int] = Counter()
        for bank in self.course.quizzes:
            for item in bank.items:
                if isinstance(item, SingleChoice):
                    positions[[o.id for o in item.options].index(item.key_id)] += 1
        total = sum(positions.values())
        if total >= 10:
            pos, count = positions.most_common(1)[0]
            if count / total > 0.35:
                self.out.warning("quizzes", 0, f"{count} of {total} single-choice keys ({count / total:.0%}) sit in "
                                 f"position {pos + 1}: vary the key position", "item.key-position")

    def cues(self) -> None:
        """One item's key should not appear word for word in another stem of the same bank."""
        for bank in self.course.quizzes:
            stems = [(i.id, i.stem.lower()) for i in bank.items]
            for item in bank.items:
                if not isinstance(item, SingleChoice):
                    continue
                key = next(o.text for o in item.options if o.id == item.key_id).lower().rstrip(".")
                if len(key.split()) < 5:
                    continue
                for other_id, stem in stems:
                    if other_id != item.id and key in stem:
                        self.report(bank, item, "warning", f"its key appears in the stem of {other_id}", "item.cue")


def _question_sentence(stem: str) -> str:
    """The last sentence of a stem: the question itself, after any scenario."""
    parts = re.split(r"(?<=[.!?])\s+", stem.strip())
    return parts[-1] if parts else stem


def run(course: Course, out: Collector) -> None:
    """Record lint findings for the whole course."""
    language(course, out)
    items = _ItemLint(course, out)
    for bank in course.quizzes:
        for item in bank.items:
            items.item(bank, item)
    items.key_positions()
    items.cues()
