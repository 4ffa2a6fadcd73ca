"""The course model: one frozen, validated description of the whole course.

Every field documents the source format (see docs/authoring.md). Models raise location-free
errors; the loader maps them to ``path:line``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

EDITIONS: tuple[str, ...] = ("staff", "family", "ce")
EditionName = Literal["staff", "family", "ce"]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
ItemId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=64)]
ParagraphRef = Annotated[str, Field(pattern=r"^P(0[1-9]|[1-9][0-9])$")]
Text = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    """Base: frozen, and unknown keys are errors (a typo like ``corect`` must not pass silently)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


# --------------------------------------------------------------------------- manifest


class Provider(Strict):
    """The CE provider printed on certificates; ``placeholder`` marks values a provider must replace."""

    name: Text
    number: Text = Field(description="CE provider / approval number")
    approval_statement: Text
    address: str = ""
    placeholder: bool = Field(False, description="True while the values are placeholders")
    contact: str = Field("", description="how learners and auditors reach the provider (printed on certificates)")
    signatory_name: str = Field("", description="the authorised official who signs certificates")
    signatory_title: str = Field("", description="the official's title")
    credit_type: str = Field("Continuing education contact hours", description="the credit a certificate awards")
    records_years: int = Field(4, ge=1, le=30, description="years the provider keeps certificate records")
    public_key: str = Field("", description="Ed25519 public key that verifies certificates (base64 of the raw "
                                            "32 bytes); else a provider-key.pub file beside lessons/")
    planners_disclosure: str | None = Field(
        None, description="planners' and authors' relevant financial relationships (or that there are none), as "
                          "collected by the provider; unset is a warning (fatal under --strict)")

    @property
    def sample(self) -> bool:
        """True while any provider value is a placeholder: CE artifacts are then stamped SAMPLE."""
        values = (self.name, self.number, self.approval_statement, self.address, self.planners_disclosure or "")
        return self.placeholder or any("PLACEHOLDER" in v for v in values)


class SourceReference(Strict):
    """Bibliographic details of the source document; a field the article does not state says so in words.

    Every field is required for a CE reference list: unset (null) is a warning, fatal under --strict.
    """

    title: str | None = None
    author: str | None = None
    container: str | None = Field(None, description="the website or publication the article appeared in")
    publisher: str | None = None
    published: str | None = Field(None, description="publication date as the source states it")
    url: str | None = None
    accessed: str | None = Field(None, description="when the course team took its copy")
    publisher_interest: str | None = Field(None, description="the publisher's commercial interest, for the "
                                                             "disclosure statement")


class LearnerPolicies(Strict):
    """Learner policies printed on the CE policy page; unset fields are warnings (fatal under --strict)."""

    accommodations: str | None = None
    complaints: str | None = None
    certificate: str | None = Field(None, description="how and when the certificate is issued")
    expires: dt.date | None = Field(None, description="last date the course may be completed for credit")


class ContactHourRules(Strict):
    """Inputs of the contact-hour formula (docs/authoring.md#contact-hours)."""

    reading_wpm: int = Field(120, ge=50, le=400, description="study-reading rate, words per minute")
    minutes_per_item: float = Field(1.0, ge=0)
    round_down_hours: float = Field(0.25, gt=0, le=1)


class Edition(Strict):
    """What one edition contains and how it is assessed."""

    title: Text
    audience: Text
    graded: bool = Field(description="has a pass/fail result: the final test decides, or without one the "
                                     "lesson quizzes together")
    pass_mark: int = Field(80, ge=0, le=100, description="percent needed to pass")
    attempts: int = Field(2, ge=1, le=10)
    final_test: bool = Field(False, description="has the final assessment / post-test")
    evaluation: bool = False
    lock_final_test: bool = Field(True, description="the final test opens only once every lesson has been "
                                                    "completed (players that track progress)")
    certificate: bool = False
    assess_objectives: bool = Field(True, description="every objective must be assessed by items")
    reading_grade_max: float = Field(12, gt=0, le=20)
    contact_hours: float | None = Field(None, ge=0, description="declared hours; must match the computed")

    @model_validator(mode="after")
    def _certificate_states_a_pass(self) -> Edition:
        if self.certificate and not self.graded:
            raise ValueError("certificate: true needs graded: true (a certificate states the passing score)")
        return self


class CourseManifest(Strict):
    """``lessons/course.yaml``."""

    id: Slug
    title: Text
    subtitle: str = ""
    version: Text
    language: Annotated[str, Field(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")] = "en"
    description: Text
    date: dt.date = Field(description="release date; the only date that reaches any output")
    author: Text
    level: Literal["Beginning", "Intermediate", "Advanced"] = "Beginning"
    delivery_format: Text = "Self-paced online or facilitated group study"
    source_document: Text = Field(description="the material the course is derived from")
    provider: Provider
    lessons: list[Slug] = Field(min_length=1, description="lesson ids in course order")
    pages: list[Slug] = Field(default_factory=list, description="course-level pages, in order")
    editions: dict[EditionName, Edition]
    contact_hours: ContactHourRules = ContactHourRules()
    paper: Literal["a4", "letter"] = Field("a4", description="default paper size of the PDFs (`--paper` overrides)")
    publisher: str = Field("", description="who publishes the course: the PDFs' document author (the CE edition "
                                           "names the provider once its details are filled in)")
    source: SourceReference = SourceReference()
    policies: LearnerPolicies = LearnerPolicies()


# --------------------------------------------------------------------------- facts, glossary


class Fact(Strict):
    """One fact the course teaches, in the course's own words, traced to source paragraphs."""

    id: ItemId
    statement: Text
    paragraphs: list[ParagraphRef] = Field(min_length=1)
    needs_gethelp: bool = Field(False, description="a lesson teaching it must show the ::: gethelp box")


class AddedFact(Strict):
    """Something the course states that is not from the source (e.g. safety guidance), and why."""

    id: ItemId
    statement: Text
    basis: Annotated[str, Field(min_length=10, description="on what basis the course adds it")]
    needs_gethelp: bool = Field(False, description="a lesson teaching it must show the ::: gethelp box")


class Exclusion(Strict):
    """A source paragraph the course deliberately does not teach."""

    paragraph: ParagraphRef
    reason: Annotated[str, Field(min_length=10)]
    partial: bool = Field(False, description="only part of a cited paragraph is left out")


class FactRegister(Strict):
    """``lessons/facts.yaml``."""

    paragraphs: int = Field(40, ge=1, description="paragraphs in the source, P01..Pnn")
    facts: list[Fact] = Field(min_length=1)
    excluded: list[Exclusion] = Field(default_factory=list)
    added: list[AddedFact] = Field(default_factory=list, description="course-added facts, not from the source; "
                                   "citable like facts, outside the paragraph-coverage rule")

    def all_facts(self) -> list[Fact | AddedFact]:
        """Source facts, then course-added ones: everything a lesson or item may cite."""
        return [*self.facts, *self.added]


class GlossaryTerm(Strict):
    """A glossary entry; ``plain`` is the family-edition definition."""

    id: Slug
    term: Text
    definition: Text
    plain: str = ""
    facts: list[ItemId] = Field(default_factory=list)


class Glossary(Strict):
    """``lessons/glossary.yaml``."""

    terms: list[GlossaryTerm] = Field(min_length=1)


# --------------------------------------------------------------------------- lessons


class Objective(Strict):
    """A measurable learning objective; ``plain`` is the learner-language wording."""

    id: ItemId
    text: Text
    plain: str = ""


BlockKind = Literal[
    "edition", "facilitator", "reflection", "vignette", "discussion", "themes", "keypoints", "activity",
    "gethelp", "callout", "delivery", "additions",
]


class Block(Strict):
    """A ``::: kind`` container found in a lesson body (structure only; the HTML is in the views)."""

    kind: BlockKind
    line: int
    editions: tuple[EditionName, ...] = EDITIONS
    facilitator_only: bool = False
    title: str = ""
    minutes: int = 0
    lines: int = 0
    selfstudy: bool = False
    facts: tuple[str, ...] = ()
    delivery: Literal["", "group", "self"] = Field("", description="inside ::: delivery group/self ('' = both)")

    def shown(self, edition: str) -> bool:
        """Whether a self-paced learner of ``edition`` sees it (the rule checks use for required blocks)."""
        return edition in self.editions and not self.facilitator_only and self.delivery != "group"


class LessonView(Strict):
    """A lesson rendered for one edition: sanitized HTML for learners and for facilitators."""

    learner_html: str = Field(description="self-paced learners (SCORM, OLX): delivery 'self' only")
    facilitator_html: str
    workbook_html: str = Field("", description="print for learners: both deliveries, labelled ('' = learner_html)")
    text: str = Field(description="plain learner text, for word counts and readability")
    words: int
    grade: float = Field(description="Flesch-Kincaid grade of the learner text")


class _Titled(Strict):
    """A title, optionally worded differently per edition (``titles: {family: "..."}``)."""

    title: Text
    titles: dict[EditionName, Text] = Field(default_factory=dict, description="per-edition titles")

    def title_for(self, edition: str) -> str:
        """The title ``edition`` shows."""
        return self.titles.get(edition, self.title)  # type: ignore[call-overload]


class LessonMeta(_Titled):
    """Lesson front matter."""

    id: Slug
    minutes: int = Field(ge=1, le=600, description="facilitated session length")
    objectives: list[Objective] = Field(min_length=1)
    facts: list[ItemId] = Field(min_length=1, description="facts this lesson teaches")
    terms: list[Slug] = Field(default_factory=list, description="glossary ids of the key terms")
    summary: str = ""


class Lesson(LessonMeta):
    """A loaded lesson: front matter plus its blocks and per-edition views."""

    path: str
    blocks: tuple[Block, ...] = ()
    views: dict[EditionName, LessonView]
    text_lines: tuple[tuple[int, str], ...] = Field(
        (), description="(source line, plain text) of every paragraph, heading and list item, all editions"
    )


class PageMeta(_Titled):
    """Front matter of a course-level page (``lessons/pages/*.md``)."""

    id: Slug
    editions: list[EditionName] = Field(default_factory=lambda: list(EDITIONS))


class Page(PageMeta):
    """A loaded course-level page."""

    path: str
    blocks: tuple[Block, ...] = ()
    views: dict[EditionName, LessonView]
    text_lines: tuple[tuple[int, str], ...] = Field(
        (), description="(source line, plain text) of every paragraph, heading and list item, all editions"
    )


class Snippet(Strict):
    """A reusable text, ``lessons/snippets/<name>.md``: the text an empty block expands to (the get-help box) or
    a text the facilitator guide prints (``guide-*.md``); checked like a lesson body either way."""

    name: Slug
    path: str
    text_lines: tuple[tuple[int, str], ...] = ()
    boxes: dict[EditionName, str] = Field(default_factory=dict, description="the block it fills, rendered alone "
                                          "per edition (e.g. the get-help box for the guide's first pages); "
                                          "empty when no block shows it")
    html: dict[EditionName, str] = Field(default_factory=dict, description="its own text per edition, rendered "
                                         "for print without its edition and facilitator wrappers")
    grades: dict[EditionName, float] = Field(default_factory=dict, description="Flesch-Kincaid grade of what a "
                                             "learner of the edition reads (text outside ::: facilitator)")


class RetiredPhrase(Strict):
    """A phrase the course no longer uses anywhere, and why."""

    phrase: Annotated[str, Field(min_length=3)]
    reason: Annotated[str, Field(min_length=5)]


class RetiredPhrases(Strict):
    """``lessons/retired-phrases.yaml`` (optional)."""

    phrases: list[RetiredPhrase] = Field(default_factory=list)


# --------------------------------------------------------------------------- quizzes


class Option(Strict):
    """A choice with a stable id and the feedback shown when it is chosen."""

    id: Slug
    text: Text
    feedback: Text


class LintIgnore(Strict):
    """Suppress one item-writing rule for one item, with a stated reason."""

    rule: Text
    reason: Annotated[str, Field(min_length=5)]


class ItemBase(Strict):
    """Fields every scored item has."""

    id: ItemId
    stem: Text
    scenario: bool = Field(False, description="a short case followed by the best response")
    rationale: Text
    objective: ItemId
    facts: list[ItemId] = Field(min_length=1)
    points: float = Field(1.0, gt=0, le=100)
    editions: list[EditionName] | None = Field(None, description="defaults to the bank's editions")
    lint_ignore: list[LintIgnore] = Field(default_factory=list)


def _unique(ids: list[str], what: str) -> None:
    dupes = sorted(i for i, n in Counter(ids).items() if n > 1)  # Counter: linear, not quadratic
    if dupes:
        raise ValueError(f"duplicate {what} id(s): {', '.join(dupes)}")


class SingleChoice(ItemBase):
    """One best answer among options."""

    kind: Literal["single_choice"]
    options: list[Option] = Field(min_length=2, max_length=8)
    key: list[Slug] | Slug = Field(description="the id of the one correct option")

    @model_validator(mode="after")
    def _one_key(self) -> SingleChoice:
        _unique([o.id for o in self.options], "option")
        keys = self.key if isinstance(self.key, list) else [self.key]
        if len(keys) != 1:
            raise ValueError(f"key: a single_choice item needs exactly one key, found {len(keys)}")
        if keys[0] not in {o.id for o in self.options}:
            raise ValueError(f"key: '{keys[0]}' is not an option id")
        return self

    @property
    def key_id(self) -> str:
        """The correct option id."""
        return self.key[0] if isinstance(self.key, list) else self.key


class MultipleResponse(ItemBase):
    """Select all that apply."""

    kind: Literal["multiple_response"]
    options: list[Option] = Field(min_length=3, max_length=8)
    key: list[Slug] = Field(min_length=1)

    @model_validator(mode="after")
    def _keys_known(self) -> MultipleResponse:
        ids = [o.id for o in self.options]
        _unique(ids, "option")
        _unique(self.key, "key")
        unknown = [k for k in self.key if k not in ids]
        if unknown:
            raise ValueError(f"key: not among the option ids: {', '.join(unknown)}")
        return self


class TrueFalse(ItemBase):
    """A statement judged true or false."""

    kind: Literal["true_false"]
    key: bool
    feedback_true: Text
    feedback_false: Text

    @property
    def labels(self) -> tuple[str, str]:
        """How the two answers read: a statement is judged True/False, a question in the stem Yes/No."""
        return ("Yes", "No") if self.stem.rstrip().endswith("?") else ("True", "False")


class MatchPair(Strict):
    """A prompt and the answer it belongs with."""

    id: Slug
    prompt: Text
    match: Text
    feedback: Text


class Distractor(Strict):
    """An extra answer in a matching item that belongs to no prompt."""

    id: Slug
    text: Text


class Matching(ItemBase):
    """Match each prompt with one answer; answers are identified by the pair id."""

    kind: Literal["matching"]
    pairs: list[MatchPair] = Field(min_length=2, max_length=8)
    distractors: list[Distractor] = Field(default_factory=list)

    @model_validator(mode="after")
    def _complete(self) -> Matching:
        _unique([p.id for p in self.pairs] + [d.id for d in self.distractors], "pair/distractor")
        matches = [p.match.strip().lower() for p in self.pairs]
        _unique(matches, "match text (two prompts share an answer)")
        return self


class Step(Strict):
    """One step of an ordering item."""

    id: Slug
    text: Text
    feedback: Text


class Ordering(ItemBase):
    """Put the steps in order; ``steps`` are listed in the correct order."""

    kind: Literal["ordering"]
    steps: list[Step] = Field(min_length=3, max_length=8)

    @model_validator(mode="after")
    def _unique_steps(self) -> Ordering:
        _unique([s.id for s in self.steps], "step")
        return self


Item = Annotated[
    SingleChoice | MultipleResponse | TrueFalse | Matching | Ordering, Field(discriminator="kind")
]


class Blueprint(Strict):
    """How a form is drawn from the pool (course/forms.py): ``per_objective`` items of every objective first,
    then the rest of ``draw`` at random from the remaining items."""

    per_objective: int = Field(1, ge=1, le=10, description="items drawn from each objective's pool items")


class QuizSettings(Strict):
    """Bank settings; ``None`` inherits the edition's value."""

    pass_mark: int | None = Field(None, ge=0, le=100)
    attempts: int | None = Field(None, ge=1, le=10)
    shuffle: bool = True
    draw: int | None = Field(None, ge=1, description="draw this many items from the pool")
    blueprint: Blueprint | None = Field(None, description="stratify the draw by objective (see Blueprint)")


class QuizBank(Strict):
    """``quizzes/*.yaml``: a lesson quiz or the final test."""

    id: Slug
    title: Text
    role: Literal["lesson", "final"]
    lesson: Slug | None = None
    editions: list[EditionName] = Field(min_length=1)
    settings: QuizSettings = QuizSettings()
    items: list[Item] = Field(min_length=1)

    @model_validator(mode="after")
    def _role(self) -> QuizBank:
        if self.role == "lesson" and not self.lesson:
            raise ValueError("lesson: a lesson quiz needs 'lesson' (the id of its lesson)")
        if self.role == "final" and self.lesson:
            raise ValueError("lesson: the final test belongs to no lesson; remove 'lesson'")
        _unique([i.id for i in self.items], "item")
        return self

    def items_for(self, edition: str) -> list[Item]:
        """Items that appear in ``edition``."""
        return [i for i in self.items if edition in (i.editions or self.editions)]


# --------------------------------------------------------------------------- item-writing lint rules


class ImplausiblePattern(Strict):
    """An option wording reviewers judged that any adult would reject without taking the course."""

    pattern: Text = Field(description="case-insensitive regular expression matched against option text")
    reason: Annotated[str, Field(min_length=5)]

    @model_validator(mode="after")
    def _compiles(self) -> ImplausiblePattern:
        try:
            re.compile(self.pattern)
        except re.error as exc:
            raise ValueError(f"pattern: not a valid regular expression ({exc})") from None
        return self


class KeyLengthRules(Strict):
    """Where the key may rank by length among the options of single-choice items (1 = longest)."""

    longest_min: float = Field(0.15, ge=0, le=1, description="least share of keys that are the longest option")
    longest_max: float = Field(0.40, ge=0, le=1, description="most share of keys that are the longest option")
    rank_max: float = Field(0.45, gt=0, le=1, description="most share of keys at any one length rank")
    min_items: int = Field(8, ge=1, description="fewer single-choice items than this: a bank is not judged "
                                                "on its own (too noisy), only as part of its edition")

    @model_validator(mode="after")
    def _ordered(self) -> KeyLengthRules:
        if self.longest_min > self.longest_max:
            raise ValueError("longest_min: must not be above longest_max")
        return self


class ItemLintRules(Strict):
    """``lessons/item-lint.yaml``: thresholds and reviewer-maintained word lists of the item-writing lint."""

    key_length: KeyLengthRules = KeyLengthRules()
    qualifiers: list[Text] = Field(
        default_factory=lambda: ["alone", "always", "never", "only", "all", "none", "every", "completely",
                                 "entirely", "solely", "purely"],
        description="absolute or qualifying words that cue test-wise guessing when they sit only in the key "
                    "or only in the distractors",
    )
    negative_words: list[Text] = Field(default_factory=list, description="words that give an option a "
                                                                          "negative valence (word stems)")
    positive_words: list[Text] = Field(default_factory=list, description="words that give an option a "
                                                                          "positive valence (word stems)")
    implausible: list[ImplausiblePattern] = Field(default_factory=list)


# --------------------------------------------------------------------------- evaluation


class LikertQuestion(Strict):
    """An agree/disagree statement."""

    kind: Literal["likert"]
    id: Slug
    stem: Text
    scale: list[Text] = Field(
        default_factory=lambda: [
            "Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"
        ],
        min_length=3,
    )


class ChoiceQuestion(Strict):
    """Pick one of a few answers (e.g. time actually taken)."""

    kind: Literal["choice"]
    id: Slug
    stem: Text
    choices: list[Text] = Field(min_length=2)


class CommentQuestion(Strict):
    """Free text."""

    kind: Literal["comment"]
    id: Slug
    stem: Text
    lines: int = Field(4, ge=1, le=20)


SurveyQuestion = Annotated[
    LikertQuestion | ChoiceQuestion | CommentQuestion, Field(discriminator="kind")
]


class Evaluation(Strict):
    """``quizzes/evaluation.yaml``: the unscored course evaluation."""

    id: Slug
    title: Text
    editions: list[EditionName] = Field(min_length=1)
    intro: str = ""
    questions: list[SurveyQuestion] = Field(min_length=1)


# --------------------------------------------------------------------------- course


class SourceLocation(Strict):
    """Where something was defined."""

    path: str
    line: int


class Course(Strict):
    """The whole validated course. Exporters read only this."""

    manifest: CourseManifest
    facts: FactRegister
    glossary: Glossary
    lessons: list[Lesson]
    pages: list[Page] = Field(default_factory=list)
    quizzes: list[QuizBank] = Field(default_factory=list)
    evaluation: Evaluation | None = None
    snippets: list[Snippet] = Field(default_factory=list)
    retired: list[RetiredPhrase] = Field(default_factory=list, description="lessons/retired-phrases.yaml")
    item_lint: ItemLintRules = Field(ItemLintRules(), description="lessons/item-lint.yaml (optional)")
    locations: dict[str, SourceLocation] = Field(
        default_factory=dict, exclude=True, description="'kind:id' -> where it was defined"
    )
    assets: dict[str, bytes] = Field(
        default_factory=dict, exclude=True,
        description="image files used by lessons: path under lessons/ (always images/...) -> bytes",
    )

    @property
    def id(self) -> str:
        """The course id."""
        return self.manifest.id

    def edition(self, name: str) -> Edition:
        """Settings of one edition."""
        return self.manifest.editions[name]  # type: ignore[index]

    def lesson_quiz(self, lesson_id: str) -> QuizBank | None:
        """The quiz bank of a lesson, if any."""
        return next((q for q in self.quizzes if q.role == "lesson" and q.lesson == lesson_id), None)

    def final_test(self) -> QuizBank | None:
        """The final assessment / post-test bank, if any."""
        return next((q for q in self.quizzes if q.role == "final"), None)

    def term(self, term_id: str) -> GlossaryTerm | None:
        """Look a glossary term up by id."""
        return next((t for t in self.glossary.terms if t.id == term_id), None)

    def objectives(self) -> list[tuple[Lesson, Objective]]:
        """Every objective with its lesson, in course order."""
        return [(lesson, o) for lesson in self.lessons for o in lesson.objectives]

    def where(self, key: str) -> SourceLocation | None:
        """Source location of 'kind:id' (e.g. 'item:q1-01', 'lesson:intro')."""
        return self.locations.get(key)
