"""The quiz block: items in content fields, answers in user state, scoring on the server."""

from __future__ import annotations

from importlib import resources
from typing import Any

from web_fragments.fragment import Fragment
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError
from xblock.fields import Boolean, Dict, Float, Integer, List, Scope, String
from xblock.scorable import ScorableXBlockMixin, Score

from . import forms, render, scoring
from .olx import OlxFieldsMixin


def _static(name: str) -> str:
    return (resources.files(__package__) / "static" / name).read_text(encoding="utf-8")


def feedback(item: dict[str, Any], response: Any) -> list[str]:
    """Feedback for what the learner chose (never for what they did not choose: that would give keys away)."""
    kind = item["kind"]
    if response is None:
        return ["Not answered."]
    if kind == "true_false":
        return [item["feedback_true"] if response else item["feedback_false"]]
    if kind in ("single_choice", "multiple_response"):
        chosen = response if isinstance(response, list) else [response]
        return [o["feedback"] for o in item["options"] if o["id"] in chosen]
    if kind == "matching":
        return [p["feedback"] for p in item["pairs"] if response.get(p["id"]) == p["id"]]
    return [s["feedback"] for s, given in zip(item["steps"], response, strict=False) if s["id"] == given]


@XBlock.wants("user")
class QuizBlock(OlxFieldsMixin, ScorableXBlockMixin, XBlock):
    """A graded quiz: the browser only ever sees stems and choices; keys stay on the server.

    When ``draw`` is set, ``items`` is the whole pool and each learner gets their own form per
    attempt, drawn on the server by the blueprint (``per_objective`` items from every objective, then
    random ones up to ``draw``; see forms.stratified_draw). The seed of attempt n is
    ``<usage id>|<learner>|attempt-<n>`` (learner: see ``_learner``): the same learner and attempt get the
    same form, and the form is also kept in user state so a reload shows it unchanged.
    """

    display_name = String(default="Quiz", scope=Scope.settings, help="Title shown in the course outline")
    weight = Float(default=None, scope=Scope.settings, help="Points this quiz is worth on the Progress page")
    max_attempts = Integer(default=2, scope=Scope.settings, help="Submissions allowed; 0 means unlimited")
    shuffle = Boolean(default=True, scope=Scope.settings, help="Shuffle items and choices per learner")
    pass_mark = Integer(default=80, scope=Scope.settings, help="Percent the course asks for (shown only)")
    draw = Integer(default=None, scope=Scope.settings, help="Items in each learner's form; empty: all items")
    per_objective = Integer(default=0, scope=Scope.settings,
                            help="Blueprint: items every form takes from each objective")
    items = List(default=[], scope=Scope.content, help="Items (the pool) as in the quiz YAML, keys included")

    answers = Dict(default={}, scope=Scope.user_state, help="The learner's last responses, by item id")
    attempts = Integer(default=0, scope=Scope.user_state, help="Submissions made")
    raw_earned = Float(default=None, scope=Scope.user_state, help="Points of the last submission")
    form = List(default=[], scope=Scope.user_state, help="Item ids of the form on screen")
    form_attempt = Integer(default=0, scope=Scope.user_state, help="The attempt the form on screen is for")
    answered_form = List(default=[], scope=Scope.user_state, help="Item ids of the last submitted form")

    xml_children = {"items": ("item", "json")}
    has_score = True
    icon_class = "problem"

    # ---------------------------------------------------------------- forms

    def _salt(self) -> str:
        return str(self.scope_ids.usage_id)

    def _learner(self) -> str:
        """The anonymous id the LMS gives this learner in this course; elsewhere the runtime's user id
        (the SDK workbench's ``runtime.anonymous_student_id`` is one dummy shared by every student)."""
        service = self.runtime.service(self, "user")
        if service is not None:
            anonymous = service.get_current_user().opt_attrs.get("edx-platform.anonymous_user_id")
            if anonymous:
                return str(anonymous)
        return str(self.scope_ids.user_id)

    def _draw_form(self, attempt: int) -> list[str]:
        pool = [(i["id"], i.get("objective", "")) for i in self.items]
        seed = f"{self._salt()}|{self._learner()}|attempt-{attempt}"
        return forms.stratified_draw(pool, self.per_objective or 0, self.draw, seed)

    def _form_for(self, attempt: int) -> list[str]:
        """The form of ``attempt``: the stored one if it is for that attempt and still valid, else a draw
        (a quiz without ``draw`` is always every item, so items added later show up)."""
        known = {i["id"] for i in self.items}
        if self.draw and self.form_attempt == attempt and self.form and set(self.form) <= known:
            return list(self.form)
        return self._draw_form(attempt)

    def _showing_result(self) -> bool:
        """Whether the form on screen is the last submitted one (no new attempt started since)."""
        return self.attempts > 0 and self.form_attempt == self.attempts and bool(self.answered_form)

    def _on_screen(self) -> list[str]:
        return list(self.answered_form) if self._showing_result() else self._form_for(self.attempts + 1)

    def _items(self, ids: list[str]) -> list[dict[str, Any]]:
        """The items of a form, in pool order (ids no longer in the pool are dropped)."""
        wanted = set(ids)
        return [i for i in self.items if i["id"] in wanted]

    def _scored_items(self) -> list[dict[str, Any]]:
        """Items of the last submission (the form on screen before any)."""
        return self._items(self.answered_form or self._on_screen())

    def _attempts_left(self) -> bool:
        return not self.max_attempts or self.attempts < self.max_attempts

    # ---------------------------------------------------------------- scoring

    def max_score(self) -> float:
        """Points available (the Progress page shows 0/x before the first attempt)."""
        return scoring.max_points(self._scored_items())

    def _earned(self, items: list[dict[str, Any]], answers: dict[str, Any]) -> float:
        return round(sum(scoring.points(i, answers.get(i["id"])) for i in items), 4)

    def has_submitted_answer(self) -> bool:
        """Whether the learner has submitted at least once."""
        return self.attempts > 0

    def get_score(self) -> Score:
        """The stored score."""
        return Score(raw_earned=self.raw_earned or 0.0, raw_possible=self.max_score())

    def set_score(self, score: Score) -> None:
        """Store a score (used by rescoring)."""
        self.raw_earned = score.raw_earned

    def calculate_score(self) -> Score:
        """Score the stored answers again (rescoring after an item is corrected)."""
        items = self._scored_items()
        return Score(raw_earned=self._earned(items, self.answers), raw_possible=scoring.max_points(items))

    def _result(self) -> dict[str, Any]:
        """The last submission's score and per-item feedback, from user state alone."""
        items = self._scored_items()
        earned = self._earned(items, self.answers)
        possible = scoring.max_points(items)
        done = not self._attempts_left()
        results = []
        for item in items:
            response = self.answers.get(item["id"])
            got = scoring.points(item, response)
            full = got >= scoring.item_points(item)
            entry = {"id": item["id"], "points": got, "max_points": scoring.item_points(item),
                     "correct": full, "feedback": feedback(item, response)}
            if full or done:  # the rationale explains the key, so only once it can no longer help guessing
                entry["rationale"] = item.get("rationale", "")
            results.append(entry)
        percent = round(100 * earned / possible, 2) if possible else 0.0
        return {"score": earned, "max_score": possible, "percent": percent,
                "passed": percent >= self.pass_mark, "attempts": self.attempts,
                "attempts_left": self._attempts_text(), "items": results}

    # ---------------------------------------------------------------- views

    def _attempts_text(self) -> str:
        if not self.max_attempts:
            return "You can submit as often as you like."
        left = max(0, self.max_attempts - self.attempts)
        return f"Attempts left: {left} of {self.max_attempts}."

    def _html(self) -> str:
        """The quiz as it stands: a fresh form, or the last submission with its answers and feedback."""
        showing = self._showing_result()
        if not showing:  # keep the form drawn for the coming attempt, so a reload shows the same one
            self.form = self._form_for(self.attempts + 1)
            self.form_attempt = self.attempts + 1
        result = self._result() if self.attempts else None
        state = render.Submitted(self.answers, result, self._attempts_left()) if showing and result else None
        return render.quiz_html(self._salt(), self.display_name, self._items(self._on_screen()),
                                f"{self._salt()}|{self._learner()}", self.shuffle, self._attempts_text(), state,
                                result["percent"] if result else None)

    def student_view(self, context: dict[str, Any] | None = None) -> Fragment:
        """The quiz form, without keys; after a submission, the learner's answers with their feedback."""
        frag = Fragment(self._html())
        frag.add_css(_static("quiz.css"))
        frag.add_javascript(_static("quiz.js"))
        frag.initialize_js("AttachmentQuizBlock")
        return frag

    # ---------------------------------------------------------------- handlers

    def _decode(self, data: Any, form: list[str]) -> dict[str, Any]:
        """Turn the browser's tokens back into ids; anything unexpected is a 400 with no grade."""
        if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
            raise JsonHandlerError(400, "Expected {\"answers\": {item id: response}}")
        items = {i["id"]: i for i in self._items(form)}
        unknown = sorted(set(data["answers"]) - set(items))
        if unknown:
            raise JsonHandlerError(400, f"Unknown item(s): {', '.join(unknown)}")
        out: dict[str, Any] = {}
        for iid, raw in data["answers"].items():
            item = items[iid]
            if not scoring.well_formed(item, raw):
                raise JsonHandlerError(400, f"Malformed response for item {iid}")
            out[iid] = self._decode_one(item, raw)
        return out

    def _decode_one(self, item: dict[str, Any], raw: Any) -> Any:
        if raw is None or item["kind"] == "true_false":
            return raw
        ids = render.decode(self._salt(), item)
        try:
            if item["kind"] == "matching":
                rows = render.row_decode(self._salt(), item)
                return {rows[r]: ids[c] for r, c in raw.items()}
            if isinstance(raw, list):
                return [ids[t] for t in raw]
            return ids[raw]
        except KeyError as exc:
            raise JsonHandlerError(400, f"Unknown choice in item {item['id']}") from exc

    @XBlock.json_handler
    def submit(self, data: Any, suffix: str = "") -> dict[str, Any]:
        """Score a submission on the form of the coming attempt, publish the grade, return feedback."""
        attempt = self.attempts + 1
        form = self._form_for(attempt)
        answers = self._decode(data, form)
        if not self._attempts_left():
            raise JsonHandlerError(403, "No attempts left")
        self.form, self.form_attempt, self.answered_form = form, attempt, form
        self.attempts = attempt
        self.answers = answers
        result = self._result()
        self.raw_earned = result["score"]
        self.runtime.publish(self, "grade", {"value": result["score"], "max_value": result["max_score"]})
        return {**result, "html": self._html()}

    @XBlock.json_handler
    def retry(self, data: Any, suffix: str = "") -> dict[str, Any]:
        """Start the next attempt: a new form (drawn for it), empty; the last score stays until it is submitted."""
        if not self._attempts_left():
            raise JsonHandlerError(403, "No attempts left")
        self.form, self.form_attempt = self._form_for(self.attempts + 1), self.attempts + 1
        return {"attempt": self.form_attempt, "html": self._html()}

    @staticmethod
    def workbench_scenarios() -> list[tuple[str, str]]:
        """A quiz with one item of every kind, and a drawn final test with a blueprint."""
        return [("Attachment course: quiz", _static("scenario_quiz.xml")),
                ("Attachment course: drawn final test", _static("scenario_final.xml"))]
