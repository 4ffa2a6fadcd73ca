"""The player's data: one compiled edition turned into the shape static/player.js reads.

Answer keys never appear: options, matching prompts and ordering steps carry salted digests
(see digest.py), matching answers get opaque ids, ordering steps ship in a scrambled order, and
feedback and rationale are masked. ``player_item`` and ``player_response`` are also what the tests
use to feed the shared scoring vectors to the JavaScript scorer.
"""

from __future__ import annotations

import json
import math
from typing import Any

from lxml import html as lxml_html

from course.compiled import CompiledEdition, CompiledQuiz, objective_text
from course.diagnostics import ExportError
from course.model import Evaluation, Item, Matching, MultipleResponse, Ordering, SingleChoice, TrueFalse
from exporters.scorm.digest import b36, cyrb53, digest, item_salt, mask

KINDS = {SingleChoice: "sc", MultipleResponse: "mr", TrueFalse: "tf", Matching: "ma", Ordering: "or"}
# Responses in suspend_data are single characters of this alphabet (index 0 means "none").
ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"
INTRO = "Introduction"
HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
SCREEN_WORDS = 600  # a lesson screen holds at most about this many words
MERGE_WORDS = 300  # short neighbouring prose sections share one screen up to this many words
# Boxes that open a screen of their own; consecutive boxes of the same kind share it.
OWN_SCREEN = {"vignette": "Case vignette", "reflection": "Reflection", "keypoints": "Key points",
              "activity": "Activities"}

# lms.js puts a fixed header before the player's state: "~", course signature (6), interactions
# sent (3), best status (2), best score (3). See docs/scorm.md, "suspend_data".
LMS_HEADER = 15


def _answers(item: Matching, salt: str) -> list[tuple[str, str, str]]:
    """(model id, opaque id, text) of a matching item's answers, in an order that reveals nothing."""
    raw = [(p.id, p.match) for p in item.pairs] + [(d.id, d.text) for d in item.distractors]
    raw.sort(key=lambda a: digest(salt, "a:" + a[0]))
    return [(mid, f"m{n}", text) for n, (mid, text) in enumerate(raw, start=1)]


def _steps(item: Ordering, salt: str) -> list[tuple[int, Any]]:
    """(correct position, step) in a scrambled order that is never the correct one."""
    steps = sorted(enumerate(item.steps), key=lambda s: digest(salt, "s:" + s[1].id))
    if [pos for pos, _ in steps] == list(range(len(steps))):
        steps = steps[1:] + steps[:1]
    return steps


def player_item(course_id: str, version: str, item: Item) -> dict[str, Any]:
    """One quiz item in player form (no key in clear text)."""
    salt = item_salt(course_id, version, item.id)
    out: dict[str, Any] = {"id": item.id, "k": KINDS[type(item)], "stem": item.stem, "pts": item.points,
                           "obj": item.objective, "ra": mask(salt + "|ra", item.rationale)}
    if isinstance(item, (SingleChoice, MultipleResponse)):
        keys = {item.key_id} if isinstance(item, SingleChoice) else set(item.key)
        out["o"] = [{"id": o.id, "t": o.text, "d": digest(salt, f"o:{o.id}={int(o.id in keys)}"),
                     "f": mask(f"{salt}|f:{o.id}", o.feedback)} for o in item.options]
    elif isinstance(item, TrueFalse):
        labels = item.labels
        out["o"] = [{"id": v, "t": label, "d": digest(salt, f"o:{v}={int(item.key is (v == 'true'))}"),
                     "f": mask(f"{salt}|f:{v}", fb)}
                    for v, label, fb in (("true", labels[0], item.feedback_true),
                                         ("false", labels[1], item.feedback_false))]
    elif isinstance(item, Matching):
        answers = _answers(item, salt)
        opaque = {mid: oid for mid, oid, _ in answers}
        out["p"] = [{"id": p.id, "t": p.prompt, "d": digest(salt, f"m:{p.id}={opaque[p.id]}"),
                     "f": mask(f"{salt}|f:{p.id}", p.feedback)} for p in item.pairs]
        out["a"] = [{"id": oid, "t": text} for _, oid, text in answers]
    else:
        out["s"] = [{"id": s.id, "t": s.text, "d": digest(salt, f"s:{s.id}@{pos}"),
                     "f": mask(f"{salt}|f:{s.id}", s.feedback)}
                    for pos, s in _steps(item, salt)]
    return out


def player_response(course_id: str, version: str, item: Item, response: Any) -> Any:
    """A response in model ids (as in the scoring vectors) translated to the player's ids."""
    if response is None:
        return None
    if isinstance(item, TrueFalse):
        return ("true" if response else "false") if isinstance(response, bool) else "?"
    if isinstance(item, Matching) and isinstance(response, dict):
        opaque = {mid: oid for mid, oid, _ in _answers(item, item_salt(course_id, version, item.id))}
        return {k: opaque.get(v, "?") if isinstance(v, str) else "?" for k, v in response.items()}
    return response


def slot_width(item: Item) -> int:
    """Characters one item's response takes in suspend_data (fixed, so the length never varies)."""
    if isinstance(item, (SingleChoice, TrueFalse)):
        return 1
    if isinstance(item, MultipleResponse):
        return -(-len(item.options) // 6)  # a bitmask, six options per character
    if isinstance(item, Matching):
        if len(item.pairs) + len(item.distractors) >= len(ALPHABET):
            raise ExportError(f"matching item {item.id} has too many answers for the player")
        return len(item.pairs)
    return len(item.steps)


def _quiz(ed: CompiledEdition, quiz: CompiledQuiz, counts: bool) -> dict[str, Any]:
    if quiz.attempts >= len(ALPHABET):
        raise ExportError(f"quiz {quiz.id}: at most {len(ALPHABET) - 1} attempts fit the player's state")
    items = [player_item(ed.course_id, ed.version, i) for i in quiz.items]
    out = {"id": quiz.id, "title": quiz.title, "role": quiz.role, "pass": quiz.pass_mark, "att": quiz.attempts,
           "shuf": quiz.shuffle, "draw": quiz.draw, "counts": counts,
           "w": [slot_width(i) for i in quiz.items], "items": items}
    if quiz.blueprint is not None:
        # The player draws with core.js stratifiedDraw (course/forms.py): it needs each item's objective.
        # (player_item already carries each item's objective, "obj").
        out["per"] = quiz.blueprint.per_objective
    return out


def _evaluation(ev: Evaluation) -> dict[str, Any]:
    qs = []
    for q in ev.questions:
        entry: dict[str, Any] = {"id": q.id, "k": q.kind, "stem": q.stem}
        if q.kind == "likert":
            entry["c"] = list(q.scale)
        elif q.kind == "choice":
            entry["c"] = list(q.choices)
        else:
            entry["lines"] = q.lines
        qs.append(entry)
    return {"id": ev.id, "title": ev.title, "intro": ev.intro, "qs": qs}


def _nodes(html: str) -> list[Any]:
    """Top-level elements of rendered HTML; edition and delivery wrappers are opened (they draw no box)."""
    out: list[Any] = []
    for node in lxml_html.fragments_fromstring(html) if html.strip() else []:
        if isinstance(node, str):
            if node.strip():
                out.append(lxml_html.fromstring(f"<p>{node.strip()}</p>"))
            continue
        classes = (node.get("class") or "").split()
        if "blk" in classes and {"edition", "delivery"} & set(classes):
            out.extend(_nodes("".join(lxml_html.tostring(c, encoding="unicode") for c in node)))
        else:
            out.append(node)
    return out


def _box(node: Any) -> str | None:
    classes = (node.get("class") or "").split()
    return next((c for c in classes if c in OWN_SCREEN), None) if "blk" in classes else None


def _words(nodes: list[Any]) -> int:
    return sum(len(n.text_content().split()) for n in nodes)


def lesson_sections(html: str) -> list[tuple[str, list[Any]]]:
    """A lesson cut into screens: (section title, top-level nodes), each at most about SCREEN_WORDS.

    A screen starts at every h2 and at every vignette, reflection, key-points or activity box;
    short neighbouring prose sections share a screen, long ones are cut between paragraphs.
    """
    chunks: list[tuple[str | None, str, list[Any]]] = []  # (box kind or None for prose, title, nodes)
    for node in _nodes(html):
        box = _box(node)
        if node.tag == "h2":
            chunks.append((None, node.text_content().strip(), [node]))
        elif box and not (chunks and chunks[-1][0] == box):
            chunks.append((box, OWN_SCREEN[box], [node]))
        elif chunks:
            chunks[-1][2].append(node)
        else:
            chunks.append((None, INTRO, [node]))
    merged: list[tuple[str | None, str, list[Any]]] = []
    for kind, title, nodes in chunks:
        last = merged[-1] if merged else None
        both = _words(last[2]) + _words(nodes) if last else 0
        if last and kind is None and last[0] is None and both <= SCREEN_WORDS and (
                both <= MERGE_WORDS or _words(last[2]) < MERGE_WORDS // 3):
            # An untitled opening takes the name of the section it joins.
            merged[-1] = (None, title if last[1] == INTRO else last[1], last[2] + nodes)
        else:
            merged.append((kind, title, nodes))
    out: list[tuple[str, list[Any]]] = []
    for _, title, nodes in merged:
        parts = max(1, math.ceil(_words(nodes) / SCREEN_WORDS))
        target, current = _words(nodes) / parts, []
        for node in nodes:
            # Cut between paragraphs, never right after a heading.
            if current and current[-1].tag not in HEADINGS and _words(current) + _words([node]) / 2 > target:
                out.append((title, current))
                current = []
            current.append(node)
        out.append((title, current))
    return out or [(INTRO, [])]


def _html(nodes: list[Any]) -> str:
    return "\n".join(lxml_html.tostring(n, encoding="unicode", with_tail=False) for n in nodes)


def _page_html(title: str, html: str) -> str:
    """A page's HTML without a first h2 that only repeats the screen's h1."""
    nodes = _nodes(html)
    if nodes and nodes[0].tag == "h2" and nodes[0].text_content().strip().lower() == title.strip().lower():
        return _html(nodes[1:])
    return html


def _lesson_screens(ed: CompiledEdition, lesson: Any) -> list[dict[str, Any]]:
    sections = lesson_sections(lesson.learner_html)
    words = [_words(nodes) for _, nodes in sections]
    wpm = ed.contact.reading_wpm
    screens = []
    for k, (title, nodes) in enumerate(sections, start=1):
        screen: dict[str, Any] = {
            "id": f"l-{lesson.id}" + ("" if k == 1 else f"-{k}"), "t": "lesson", "n": lesson.number,
            "lesson": lesson.id, "title": lesson.title, "sec": title, "part": k, "parts": len(sections),
            "html": _html(nodes), "left": max(1, math.ceil(sum(words[k - 1:]) / wpm)),
        }
        if k == 1:
            screen["obj"] = [objective_text(o, ed.edition) for o in lesson.objectives]
            screen["terms"] = [t.id for t in lesson.terms]
        screens.append(screen)
    return screens


def player_data(ed: CompiledEdition, scorm: str) -> dict[str, Any]:
    """The whole edition as the player reads it (``window.COURSE_DATA``)."""
    family = ed.plain_language  # the player's plainer phrasing
    assess = ed.assessment
    screens: list[dict[str, Any]] = [{"id": "start", "t": "start", "title": ed.title}]
    screens += [{"id": f"p-{p.id}", "t": "page", "title": p.title, "html": _page_html(p.title, p.html)}
                for p in ed.pages]
    quizzes: list[dict[str, Any]] = []
    objectives: dict[str, list[str]] = {}
    for lesson in ed.lessons:
        screens += _lesson_screens(ed, lesson)
        for o in lesson.objectives:
            objectives[o.id] = [objective_text(o, ed.edition), f"l-{lesson.id}", lesson.title]
        if lesson.quiz:
            screens.append({"id": f"q-{lesson.quiz.id}", "t": "quiz", "title": lesson.quiz.title,
                            "q": len(quizzes), "lesson": lesson.id})
            quizzes.append(_quiz(ed, lesson.quiz, lesson.quiz.graded))
    if ed.final_test:
        screens.append({"id": f"q-{ed.final_test.id}", "t": "quiz", "title": ed.final_test.title,
                        "q": len(quizzes)})
        quizzes.append(_quiz(ed, ed.final_test, ed.final_test.graded))
    if ed.evaluation:
        screens.append({"id": "evaluation", "t": "eval", "title": ed.evaluation.title})
    screens.append({"id": "results", "t": "results", "title": "Your results" if assess else "Finish"})
    pass_mark = ed.result_pass_mark
    layout = [[s["id"] for s in screens], [[q["id"], q["att"], q["w"]] for q in quizzes]]
    return {
        "course": ed.course_id, "version": ed.version, "edition": ed.edition, "title": ed.title,
        "sub": ed.subtitle, "edTitle": ed.settings.title, "lang": ed.language, "scorm": scorm,
        "assess": assess, "pass": pass_mark, "family": family,
        # The final test opens once every lesson screen has been completed (an edition setting).
        "lock": bool(ed.final_test) and ed.settings.lock_final_test,
        "minutes": round(ed.contact.total_minutes), "help": ed.gethelp_html, "objs": objectives,
        "gloss": {t.id: [t.term, ed.definition(t)] for t in ed.glossary},
        "screens": screens, "quizzes": quizzes,
        "eval": _evaluation(ed.evaluation) if ed.evaluation else None,
        # Suspend data from another layout (a course update mid-attempt) is ignored, not misread.
        "sig": _sig(json.dumps(layout, separators=(",", ":"))),
        # lms.js restores suspend_data only when its header carries this course's signature.
        "lmsSig": course_signature(ed.course_id, ed.version, ed.edition),
    }


def _sig(text: str) -> str:
    """A 6-character base-36 fingerprint of ``text``."""
    return b36(cyrb53(text) % 36**6).rjust(6, "0")


def course_signature(course_id: str, version: str, edition: str) -> str:
    """What lms.js writes into its suspend_data header: state is this course's only if it matches."""
    return _sig(f"{course_id}|{version}|{edition}")


def suspend_length(data: dict[str, Any]) -> int:
    """Length of cmi.suspend_data: fixed-width, so this is also the worst case.

    lms.js's header (LMS_HEADER characters), then the player's payload (static/core.js
    encodeState): format char, 6-char layout signature, visited-screen bitmask (6 screens per
    char), per quiz [attempt, submitted, checked-items bitmask (6 items per char), item slots...],
    evaluation flag.
    """
    screens = -(-len(data["screens"]) // 6)
    quizzes = sum(2 + -(-len(q["w"]) // 6) + sum(q["w"]) for q in data["quizzes"])
    return LMS_HEADER + 1 + 6 + screens + quizzes + 1
