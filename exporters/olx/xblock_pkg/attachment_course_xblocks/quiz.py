"""The quiz block: items in content fields, answers in user state, scoring on the server."""

from __future__ import annotations

from importlib import resources
from typing import Any

from web_fragments.fragment import Fragment
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError
from xblock.fields import Boolean, Dict, Float, Integer, List, Scope, String
from xblock.scorable import ScorableXBlockMixin, Score

from . import render, scoring
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


class QuizBlock(OlxFieldsMixin, ScorableXBlockMixin, XBlock):
    """A graded quiz: the browser only ever sees stems and choices; keys stay on the server."""

    display_name = String(default="Quiz", scope=Scope.settings, help="Title shown in the course outline")
    weight = Float(default=None, scope=Scope.settings, help="Points this quiz is worth on the Progress page")
    max_attempts = Integer(default=2, scope=Scope.settings, help="Submissions allowed; 0 means unlimited")
    shuffle = Boolean(default=True, scope=Scope.settings, help="Shuffle items and choices per learner")
    pass_mark = Integer(default=80, scope=Scope.settings, help="Percent the course asks for (shown only)")
    items = List(default=[], scope=Scope.content, help="Items as in the quiz YAML, keys included")

    answers = Dict(default={}, scope=Scope.user_state, help="The learner's last responses, by item id")
    attempts = Integer(default=0, scope=Scope.user_state, help="Submissions made")
    raw_earned = Float(default=None, scope=Scope.user_state, help="Points of the last submission")

    xml_children = {"items": ("item", "json")}
    has_score = True
    icon_class = "problem"

    # ---------------------------------------------------------------- scoring

    def max_score(self) -> float:
        """Points available (the Progress page shows 0/x before the first attempt)."""
        return scoring.max_points(self.items)

    def _salt(self) -> str:
        return str(self.scope_ids.usage_id)

    def _earned(self, answers: dict[str, Any]) -> float:
        return round(sum(scoring.points(i, answers.get(i["id"])) for i in self.items), 4)

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
        return Score(raw_earned=self._earned(self.answers), raw_possible=self.max_score())

    # ---------------------------------------------------------------- views

    def _attempts_text(self) -> str:
        if not self.max_attempts:
            return "You can submit as often as you like."
        left = max(0, self.max_attempts - self.attempts)
        return f"Attempts left: {left} of {self.max_attempts}."

    def student_view(self, context: dict[str, Any] | None = None) -> Fragment:
        """The quiz form, without keys or feedback."""
        seed = f"{self._salt()}|{getattr(self.runtime, 'anonymous_student_id', None) or self.scope_ids.user_id}"
        frag = Fragment(render.quiz_html(self._salt(), self.display_name, self.items, seed, self.shuffle,
                                         self._attempts_text()))
        frag.add_css(_static("quiz.css"))
        frag.add_javascript(_static("quiz.js"))
        frag.initialize_js("AttachmentQuizBlock")
        return frag

    # ---------------------------------------------------------------- handler

    def _decode(self, data: Any) -> dict[str, Any]:
        """Turn the browser's tokens back into ids; anything unexpected is a 400 with no grade."""
        if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
            raise JsonHandlerError(400, "Expected {\"answers\": {item id: response}}")
        items = {i["id"]: i for i in self.items}
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
        """Score a submission, publish the grade and return per-item feedback."""
        answers = self._decode(data)
        if self.max_attempts and self.attempts >= self.max_attempts:
            raise JsonHandlerError(403, "No attempts left")
        self.attempts += 1
        self.answers = answers
        earned = self._earned(answers)
        self.raw_earned = earned
        possible = self.max_score()
        self.runtime.publish(self, "grade", {"value": earned, "max_value": possible})
        done = bool(self.max_attempts) and self.attempts >= self.max_attempts
        results = []
        for item in self.items:
            got = scoring.points(item, answers.get(item["id"]))
            full = got >= scoring.item_points(item)
            entry = {"id": item["id"], "points": got, "max_points": scoring.item_points(item),
                     "correct": full, "feedback": feedback(item, answers.get(item["id"]))}
            if full or done:  # the rationale explains the key, so only once it can no longer help guessing
                entry["rationale"] = item.get("rationale", "")
            results.append(entry)
        percent = round(100 * earned / possible, 2) if possible else 0.0
        return {"score": earned, "max_score": possible, "percent": percent,
                "passed": percent >= self.pass_mark, "attempts": self.attempts,
                "attempts_left": self._attempts_text(), "items": results}

    @staticmethod
    def workbench_scenarios() -> list[tuple[str, str]]:
        """A quiz with one item of every kind."""
        return [("Attachment course: quiz", _static("scenario_quiz.xml"))]
