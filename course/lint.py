"""Language and item-writing lint (rules from shared/reference/item-writing.md).

Each finding reads like every other diagnostic: ``quizzes/q1.yaml:12: warning: … [item.key-length]``.
An item may suppress one rule with ``lint_ignore: [{rule: item.key-length, reason: …}]``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from course.diagnostics import Collector, Level
from course.model import (
    Course,
    Item,
    ItemLintRules,
    Matching,
    MultipleResponse,
    Ordering,
    QuizBank,
    SingleChoice,
    TrueFalse,
)

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


def key_length_rank(item: SingleChoice) -> int:
    """1 when the key is the longest option (ties count as longest), 2 when one option is longer, ..."""
    key = len(next(o.text for o in item.options if o.id == item.key_id).strip())
    return 1 + sum(1 for o in item.options if len(o.text.strip()) > key)


def final_mark(text: str) -> str:
    """How an option ends: its closing punctuation ('' for none), then '"' when it closes a quotation."""
    t = text.rstrip()
    core = t.rstrip("\"'”’)")
    mark = core[-1] if core and core[-1] in ".?!:;,…" else ""
    return mark + ('"' if len(core) < len(t) else "")


def _show_mark(mark: str) -> str:
    return f"'{mark}'" if mark else "no final punctuation"


class _Rules:
    """The data-driven parts of the item lint (lessons/item-lint.yaml), compiled once."""

    def __init__(self, rules: ItemLintRules):
        words = "|".join(re.escape(w) for w in rules.qualifiers) or "(?!)"
        self.qualifier = re.compile(rf"\b(?:{words})\b", re.I)
        self.negative = [re.compile(rf"\b{re.escape(w)}", re.I) for w in rules.negative_words]
        self.positive = [re.compile(rf"\b{re.escape(w)}", re.I) for w in rules.positive_words]
        self.implausible = [(re.compile(p.pattern, re.I), p.reason) for p in rules.implausible]

    def valence(self, text: str) -> int:
        """+1 when positive words outnumber negative ones, -1 for the reverse, 0 otherwise."""
        score = sum(len(p.findall(text)) for p in self.positive) - sum(len(p.findall(text)) for p in self.negative)
        return (score > 0) - (score < 0)


class _ItemLint:
    def __init__(self, course: Course, out: Collector):
        self.course = course
        self.out = out
        self.rules = _Rules(course.item_lint)

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
        # Learners see every string of an item; the register's ids (F20, G01) mean nothing to them. Checked
        # here, at the source, so no format has to strip them.
        if any(FACT_CODE.search(text) for text in _item_strings(item)):
            self.report(bank, item, "error", "the item shows a fact id such as '(F20)' to learners (stem, "
                        "options, feedback or rationale): cite facts in 'facts:' instead", "item.rationale-code")
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
        if isinstance(item, TrueFalse):
            m = self.rules.qualifier.search(item.stem)
            if m and not item.key:
                self.report(bank, item, "warning", f"'{m.group(0)}' in a false statement signals 'False' to a "
                            "test-wise learner: state the misconception without it", "item.absolute")
        if isinstance(item, Matching):
            for d in item.distractors:
                self.implausible(bank, item, d.text)
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
        keys = {item.key_id} if isinstance(item, SingleChoice) else set(item.key)
        self.choice_cues(bank, item, keys)
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

    def implausible(self, bank: QuizBank, item: Item, text: str) -> None:
        for pattern, reason in self.rules.implausible:
            if pattern.search(text):
                self.report(bank, item, "warning", f"implausible distractor '{text}': {reason}", "item.implausible")

    def choice_cues(self, bank: QuizBank, item: SingleChoice | MultipleResponse, keys: set[str]) -> None:
        """Cues that let a test-wise learner find the key without knowing the content."""
        key_opts = [o for o in item.options if o.id in keys]
        others = [o for o in item.options if o.id not in keys]
        for o in others:
            self.implausible(bank, item, o.text)
        if not others:
            return
        marks = {o.id: final_mark(o.text) for o in item.options}
        key_marks = {marks[o.id] for o in key_opts}
        other_marks = {marks[o.id] for o in others}
        if len(key_marks) == 1 and len(other_marks) == 1 and key_marks != other_marks:
            self.report(bank, item, "error", "the key alone ends with different punctuation "
                        f"({_show_mark(next(iter(key_marks)))} against {_show_mark(next(iter(other_marks)))})",
                        "item.key-punctuation")
        elif len(key_marks | other_marks) > 1:
            self.report(bank, item, "warning", "options end with different punctuation: end them all alike",
                        "item.punctuation")
        in_key = [m.group(0) for o in key_opts if (m := self.rules.qualifier.search(o.text))]
        in_other = [m.group(0) for o in others if (m := self.rules.qualifier.search(o.text))]
        if bool(in_key) != bool(in_other):
            where, words = ("the key", in_key) if in_key else ("the distractors", in_other)
            self.report(bank, item, "warning", f"absolute or qualifying word '{words[0]}' appears only in {where}: "
                        "it cues test-wise guessing", "item.absolute")
        key_val = {self.rules.valence(o.text) for o in key_opts}
        other_val = {self.rules.valence(o.text) for o in others}
        if len(others) >= 2 and (key_val, other_val) in (({-1}, {1}), ({1}, {-1})):
            self.report(bank, item, "warning", "every key reads negative and every distractor positive (or the "
                        "reverse): a test-wise learner can pick by tone", "item.valence")

    def key_length_ranks(self) -> None:
        """Per bank (when large enough) and per edition, the key's length rank must not be predictable."""
        rules = self.course.item_lint.key_length
        banks: dict[tuple[str, tuple[str, ...]], list[str]] = {}
        for bank in self.course.quizzes:
            for edition in self.course.manifest.editions:
                ids = tuple(i.id for i in bank.items_for(edition) if isinstance(i, SingleChoice))
                banks.setdefault((bank.id, ids), []).append(edition)
        by_id = {i.id: i for q in self.course.quizzes for i in q.items if isinstance(i, SingleChoice)}
        for (bank_id, ids), editions in banks.items():
            if len(ids) >= rules.min_items:
                where = self.course.where(f"bank:{bank_id}")
                path, line = (where.path, where.line) if where else ("quizzes", 0)
                self.judge_ranks(path, line, f"bank {bank_id} ({', '.join(editions)})", [by_id[i] for i in ids])
        editions_items: dict[tuple[str, ...], list[str]] = {}
        for edition in self.course.manifest.editions:
            ids = tuple(i.id for q in self.course.quizzes for i in q.items_for(edition) if isinstance(i, SingleChoice))
            editions_items.setdefault(ids, []).append(edition)
        for ids, editions in editions_items.items():
            if len(ids) >= rules.min_items:
                label = f"{'editions' if len(editions) > 1 else 'edition'} {', '.join(editions)}, all banks"
                self.judge_ranks("quizzes", 0, label, [by_id[i] for i in ids])

    def judge_ranks(self, path: str, line: int, what: str, items: list[SingleChoice]) -> None:
        rules = self.course.item_lint.key_length
        ranks = Counter(key_length_rank(i) for i in items)
        n = len(items)
        spread = ", ".join(f"rank {r}: {c}" for r, c in sorted(ranks.items()))
        longest = ranks[1] / n
        if not rules.longest_min <= longest <= rules.longest_max:
            self.out.warning(path, line, f"{what}: the key is the longest option in {ranks[1]} of {n} single-choice "
                             f"items ({longest:.0%}); keep it between {rules.longest_min:.0%} and "
                             f"{rules.longest_max:.0%} [{spread}]", "item.key-rank")
        rank, count = max(ranks.items(), key=lambda rc: (rc[1], -rc[0]))
        if count / n > rules.rank_max:
            self.out.warning(path, line, f"{what}: the key has length rank {rank} in {count} of {n} single-choice "
                             f"items ({count / n:.0%}); no rank may hold more than {rules.rank_max:.0%} [{spread}]",
                             "item.key-rank")

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


FACT_CODE = re.compile(r"\(\s*[FG]\d+\b[^)]*\)")


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
    items.key_length_ranks()
    items.cues()
