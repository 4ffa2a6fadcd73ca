"""Learner responses from the three places they come back from, as one list of ``Response``.

Supported inputs (auto-detected by ``read``):

- xAPI statements: a JSON array, an LRS ``StatementResult`` ({"statements": [...]}) or JSON lines;
  only ``answered`` statements count. The item is the last path segment of ``object.id``.
- SCORM ``cmi.interactions`` as CSV, long form: ``learner,attempt,interaction_id,type,response,result,latency``
  (the player names interactions ``<quiz>.<item>.<attempt>``), or Moodle's SCORM interactions report (wide
  form: ``Question N`` / ``Response N`` columns per row).
- Open edX problem responses report CSV (``Username``, ``Answer``, and ``Location`` or ``Block key``): the
  OLX archives name each problem ``p-<quiz>-<item>``; answers are matched to options by their text.

Learners are pseudonymised as they are read: a raw learner id never leaves this module.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course.model import Course, Item, Matching, MultipleResponse, Ordering, SingleChoice, TrueFalse

ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
_DURATION = re.compile(r"^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$")
_LATENCY_12 = re.compile(r"^(\d+):(\d\d):(\d\d(?:\.\d+)?)$")


class InputError(Exception):
    """An input that cannot be read; the message names the file and, where known, the line."""


@dataclass(frozen=True)
class Response:
    """One answer to one item in one attempt (first attempts are chosen later, in stats)."""

    learner: str          # pseudonym
    bank: str             # quiz id
    attempt: int
    item: str             # item id
    value: Any            # the response in course/scoring.py's form
    seconds: float | None = None


class _Pseudonyms:
    """Stable pseudonyms within one run; the salt is random, so nothing links runs or learners back."""

    def __init__(self) -> None:
        self.salt = secrets.token_bytes(16)

    def __call__(self, raw: str) -> str:
        return "L" + hashlib.sha256(self.salt + raw.encode("utf-8")).hexdigest()[:12]


class _Catalogue:
    """Item lookups for one course: which bank holds an item, and how its answers are written."""

    def __init__(self, course: Course):
        self.items: dict[str, Item] = {}
        self.bank_of: dict[str, str] = {}
        for bank in course.quizzes:
            for item in bank.items:
                self.items[item.id] = item
                self.bank_of[item.id] = bank.id

    def item(self, item_id: str, where: str) -> Item:
        if item_id not in self.items:
            raise InputError(f"{where}: item '{item_id}' is not in this course (check --source and the course version)")
        return self.items[item_id]


def parse_pattern(item: Item, text: str, sep: str, pair_sep: str) -> Any:
    """A SCORM/xAPI response pattern (``a[,]b``, ``true``, ``a[.]x[,]b[.]y``) in the scoring module's form."""
    text = text.strip()
    if isinstance(item, TrueFalse):
        return text.lower() in {"true", "t", "1"}
    parts = [p for p in text.split(sep) if p != ""] if text else []
    if isinstance(item, SingleChoice):
        return parts[0] if parts else None
    if isinstance(item, MultipleResponse | Ordering):
        return parts
    if isinstance(item, Matching):
        out = {}
        for part in parts:
            src, _, tgt = part.partition(pair_sep)
            out[src] = tgt
        return out
    raise InputError(f"item {item.id}: no response pattern for kind {item.kind}")  # pragma: no cover


def _seconds(duration: str | None) -> float | None:
    if not duration:
        return None
    m = _DURATION.match(duration.strip()) or None
    if m:
        h, mnt, s = (float(g) if g else 0.0 for g in m.groups())
        return h * 3600 + mnt * 60 + s
    m = _LATENCY_12.match(duration.strip())
    if m:
        return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    return None


# --------------------------------------------------------------------------- xAPI


def _actor_key(actor: dict[str, Any]) -> str:
    account = actor.get("account") or {}
    for value in (actor.get("mbox"), actor.get("mbox_sha1sum"), actor.get("openid"),
                  f"{account.get('homePage', '')}|{account.get('name', '')}" if account else None):
        if value:
            return str(value)
    raise ValueError("actor has no identifier")


def statements_from_text(text: str, name: str) -> list[dict[str, Any]]:
    """Statements from a JSON array, a StatementResult or JSON lines."""
    stripped = text.lstrip()
    if stripped.startswith("[") or stripped.startswith("{") and "\n{" not in stripped.rstrip():
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name}:{exc.lineno}: not valid JSON: {exc.msg}") from None
        if isinstance(data, dict):
            data = data.get("statements", [data])
        if not isinstance(data, list):
            raise InputError(f"{name}:1: expected a list of xAPI statements")
        return data
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise InputError(f"{name}:{n}: not valid JSON: {exc.msg}") from None
    return out


def from_statements(statements: Iterable[dict[str, Any]], cat: _Catalogue, alias: _Pseudonyms,
                    name: str) -> Iterator[Response]:
    attempts: dict[tuple[str, str], dict[str, int]] = {}
    for n, st in enumerate(statements, start=1):
        where = f"{name}: statement {n}"
        if not isinstance(st, dict) or (st.get("verb") or {}).get("id") != ANSWERED:
            continue
        try:
            learner = alias(_actor_key(st.get("actor") or {}))
        except ValueError as exc:
            raise InputError(f"{where}: {exc}") from None
        item_id = str((st.get("object") or {}).get("id", "")).rstrip("/").rsplit("/", 1)[-1]
        item = cat.item(item_id, where)
        result = st.get("result") or {}
        if "response" not in result:
            raise InputError(f"{where}: answered statement without result.response")
        ctx = st.get("context") or {}
        ext = ctx.get("extensions") or {}
        attempt_ext = next((v for k, v in ext.items() if k.rstrip("/").endswith(("/attempt", ":attempt"))), None)
        bank = cat.bank_of[item.id]
        if attempt_ext is not None:
            attempt = int(attempt_ext)
        else:
            # Without an attempt extension each registration is one attempt, numbered in order of appearance.
            seen = attempts.setdefault((learner, bank), {})
            attempt = seen.setdefault(str(ctx.get("registration", "")), len(seen) + 1)
        yield Response(learner=learner, bank=bank, attempt=attempt, item=item.id,
                       value=parse_pattern(item, str(result["response"]), "[,]", "[.]"),
                       seconds=_seconds(result.get("duration")))


# --------------------------------------------------------------------------- SCORM CSV


def _split_interaction_id(iid: str) -> tuple[str, int]:
    """``<quiz>.<item>.<attempt>`` → (item, attempt)."""
    parts = iid.split(".")
    if len(parts) >= 3 and parts[-1].isdigit():
        return parts[-2], int(parts[-1])
    return parts[-1], 1


def _scorm_value(item: Item, text: str) -> Any:
    sep, pair = ("[,]", "[.]") if "[,]" in text or "[.]" in text else (",", ".")
    return parse_pattern(item, text, sep, pair)


def from_scorm_long(rows: list[dict[str, str]], cat: _Catalogue, alias: _Pseudonyms, name: str) -> Iterator[Response]:
    for n, row in enumerate(rows, start=2):
        iid = (row.get("interaction_id") or "").strip()
        if not iid:
            raise InputError(f"{name}:{n}: interaction_id is empty")
        item_id, attempt = _split_interaction_id(iid)
        item = cat.item(item_id, f"{name}:{n}")
        if row.get("attempt", "").strip().isdigit() and attempt == 1:
            attempt = int(row["attempt"])
        yield Response(learner=alias(row.get("learner", "")), bank=cat.bank_of[item.id], attempt=attempt,
                       item=item.id, value=_scorm_value(item, row.get("response", "")),
                       seconds=_seconds(row.get("latency")))


_MOODLE_Q = re.compile(r"^Question ?(\d+)$", re.I)


def from_moodle_wide(header: list[str], rows: list[dict[str, str]], cat: _Catalogue, alias: _Pseudonyms,
                     name: str) -> Iterator[Response]:
    numbers = [m.group(1) for h in header if (m := _MOODLE_Q.match(h.strip()))]
    who = next((h for h in header if h.strip().lower() in {"username", "email address", "email"}), None)
    if who is None:
        raise InputError(f"{name}:1: Moodle report without a Username or Email address column")
    for n, row in enumerate(rows, start=2):
        for q in numbers:
            iid = (row.get(f"Question {q}") or row.get(f"Question{q}") or "").strip()
            if not iid or iid == "-":
                continue
            item_id, attempt = _split_interaction_id(iid)
            item = cat.item(item_id, f"{name}:{n}")
            if (row.get("Attempt") or "").strip().isdigit():
                attempt = int(row["Attempt"])
            response = row.get(f"Response {q}") or row.get(f"Response{q}") or ""
            yield Response(learner=alias(row[who]), bank=cat.bank_of[item.id], attempt=attempt, item=item.id,
                           value=_scorm_value(item, response))


# --------------------------------------------------------------------------- Open edX CSV

_BLOCK = re.compile(r"block@p-(.+)$")


def _edx_value(item: Item, answer: str, where: str) -> Any:
    answer = answer.strip()
    if isinstance(item, TrueFalse):
        return answer.lower() in {"true", item.labels[0].lower()}
    if isinstance(item, SingleChoice):
        for option in item.options:
            if option.text.strip() == answer:
                return option.id
        raise InputError(f"{where}: answer does not match any option of item {item.id}")
    if isinstance(item, MultipleResponse):
        # Open edX joins chosen texts with ", "; option texts may hold commas, so match whole texts.
        chosen, rest = [], answer
        for option in sorted(item.options, key=lambda o: -len(o.text)):
            if option.text.strip() in rest:
                chosen.append(option.id)
                rest = rest.replace(option.text.strip(), "", 1)
        if rest.replace(",", "").strip():
            raise InputError(f"{where}: part of the answer matches no option of item {item.id}")
        return [o.id for o in item.options if o.id in chosen]
    raise InputError(f"{where}: item {item.id} ({item.kind}) is a drop-down problem; the problem responses "
                     "report does not identify its parts, so read it from xAPI or SCORM data instead")


def from_openedx(rows: list[dict[str, str]], cat: _Catalogue, alias: _Pseudonyms, name: str) -> Iterator[Response]:
    banks = sorted(set(cat.bank_of.values()), key=len, reverse=True)
    for n, row in enumerate(rows, start=2):
        where = f"{name}:{n}"
        location = row.get("Block key") or row.get("Location") or ""
        m = _BLOCK.search(location)
        if not m:
            raise InputError(f"{where}: Location '{location}' is not a problem of this course's OLX archive")
        name_part = m.group(1)
        bank = next((b for b in banks if name_part.startswith(b + "-")), None)
        if bank is None:
            raise InputError(f"{where}: no quiz of this course matches '{name_part}'")
        item = cat.item(name_part[len(bank) + 1:], where)
        attempt = int(row["Attempt"]) if (row.get("Attempt") or "").strip().isdigit() else 1
        yield Response(learner=alias(row.get("Username", "")), bank=bank, attempt=attempt, item=item.id,
                       value=_edx_value(item, row.get("Answer", ""), where))


# --------------------------------------------------------------------------- detection


def detect(path: Path) -> str:
    """``xapi``, ``scorm``, ``moodle`` or ``openedx``; raises InputError when the shape is unknown."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    head = text.lstrip()[:1]
    if head in "[{":
        return "xapi"
    header = next(csv.reader([text.splitlines()[0] if text else ""]), [])
    names = {h.strip() for h in header}
    if {"interaction_id", "response"} <= names:
        return "scorm"
    if any(_MOODLE_Q.match(h) for h in names):
        return "moodle"
    if "Answer" in names and ({"Location", "Block key"} & names):
        return "openedx"
    raise InputError(f"{path}:1: unknown input: expected xAPI statements (JSON), SCORM interactions CSV "
                     "(interaction_id,response,…), a Moodle SCORM interactions report or an Open edX problem "
                     "responses report")


def read(paths: Iterable[Path], course: Course, statements: Iterable[dict[str, Any]] = ()) -> tuple[
        list[Response], dict[str, int]]:
    """Every response in ``paths`` (plus statements already fetched from an LRS) and a count per input kind."""
    cat, alias = _Catalogue(course), _Pseudonyms()
    out: list[Response] = []
    kinds: dict[str, int] = {}
    fetched = list(statements)
    if fetched:
        got = list(from_statements(fetched, cat, alias, "LRS"))
        kinds["xapi"] = kinds.get("xapi", 0) + len(got)
        out += got
    for path in paths:
        kind = detect(path)
        text = path.read_text(encoding="utf-8-sig")
        if kind == "xapi":
            got = list(from_statements(statements_from_text(text, str(path)), cat, alias, str(path)))
        else:
            reader = csv.DictReader(text.splitlines())
            rows = list(reader)
            if kind == "scorm":
                got = list(from_scorm_long(rows, cat, alias, str(path)))
            elif kind == "moodle":
                got = list(from_moodle_wide(list(reader.fieldnames or []), rows, cat, alias, str(path)))
            else:
                got = list(from_openedx(rows, cat, alias, str(path)))
        kinds[kind] = kinds.get(kind, 0) + len(got)
        out += got
    return out, kinds
