"""Read an extracted OLX course, check its structure, and grade a learner the way the LMS does."""

from __future__ import annotations

import json
import math
import tarfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from exporters.olx.xblock_pkg.attachment_course_xblocks.forms import stratified_draw

CUSTOM = ("attachment_quiz", "attachment_lesson")


def extract(archive: Path, into: Path) -> Path:
    """Unpack a course tarball (rejecting unsafe members as Studio does) and return the course folder."""
    with tarfile.open(archive) as tar:
        for m in tar.getmembers():
            assert not m.name.startswith("/") and ".." not in m.name.split("/"), f"unsafe path {m.name}"
            assert m.isfile() or m.isdir(), f"unsafe member {m.name}"
        tar.extractall(into, filter="data")
    return into / "course"


def xml(root: Path, rel: str) -> etree._Element:
    """Parse one file of the course."""
    return etree.parse(str(root / rel)).getroot()


def run_of(root: Path) -> str:
    """The run url_name from course.xml."""
    return xml(root, "course.xml").get("url_name")


def walk(root: Path) -> list[tuple[str, str, etree._Element]]:
    """(tag, url_name, element) of every pointed-to block, following pointers from course.xml down.

    Fails if a pointer does not resolve to ``<tag>/<url_name>.xml`` with a matching root tag.
    """
    out = []
    course = xml(root, f"course/{run_of(root)}.xml")
    stack = [("course", run_of(root), course)]
    while stack:
        tag, name, el = stack.pop()
        out.append((tag, name, el))
        for child in el:
            if child.tag in CUSTOM or child.tag is etree.Comment:
                out.append((child.tag, child.get("url_name"), child))
                continue
            url = child.get("url_name")
            path = root / child.tag / f"{url}.xml"
            assert path.is_file(), f"{tag}/{name}: <{child.tag} url_name={url}> does not resolve"
            target = xml(root, f"{child.tag}/{url}.xml")
            assert target.tag == child.tag, f"{path} has root <{target.tag}>"
            if child.tag == "html":
                assert (root / "html" / f"{target.get('filename')}.html").is_file()
            if child.tag not in ("html", "problem"):
                stack.append((child.tag, url, target))
            else:
                out.append((child.tag, url, target))
    return out


def problem_errors(problem: etree._Element) -> list[str]:
    """Capa rules olxcleaner does not check: one key per single choice, a key per response, labels."""
    errors = []
    for mc in problem.iter("multiplechoiceresponse"):
        choices = mc.findall(".//choice")
        correct = [c for c in choices if c.get("correct") == "true"]
        if len(correct) != 1 or len(choices) < 2:
            errors.append(f"multiplechoiceresponse with {len(correct)} correct of {len(choices)} choices")
    for cr in problem.iter("choiceresponse"):
        if not [c for c in cr.iter("choice") if c.get("correct") == "true"]:
            errors.append("choiceresponse without a correct choice")
    for opt in problem.iter("optionresponse"):
        if len([o for o in opt.iter("option") if o.get("correct") == "True"]) != 1:
            errors.append("optionresponse without exactly one correct option")
    for resp in [*problem.iter("multiplechoiceresponse", "choiceresponse", "optionresponse")]:
        if resp.find("label") is None or not (resp.find("label").text or "").strip():
            errors.append(f"<{resp.tag}> without a label")
    if float(problem.get("weight", "1")) < 0:
        errors.append("negative weight")
    return errors


@dataclass
class Scored:
    """A scored component of a graded subsection: its weight and the share each item id carries."""

    fmt: str
    subsection: str
    weight: float
    shares: dict[str, float]


def scored_components(root: Path) -> list[Scored]:
    """Every scored component of every graded sequential, with item ids to knock out per learner."""
    out = []
    for tag, seq_name, seq in walk(root):
        if tag != "sequential" or seq.get("graded") != "true":
            continue
        for vert_ptr in seq:
            vert = xml(root, f"vertical/{vert_ptr.get('url_name')}.xml")
            for comp in vert:
                if comp.tag == "problem":
                    prob = xml(root, f"problem/{comp.get('url_name')}.xml")
                    out.append(Scored(seq.get("format"), seq_name, float(prob.get("weight", "1")),
                                      {comp.get("url_name"): 1.0}))
                elif comp.tag == "attachment_quiz":
                    items = quiz_form([json.loads(i.text) for i in comp.findall("item")], comp)
                    total = sum(i.get("points", 1.0) for i in items)
                    out.append(Scored(seq.get("format"), seq_name, float(comp.get("weight")),
                                      {i["id"]: i.get("points", 1.0) / total for i in items}))
    return out


def quiz_form(items: list[dict], quiz: etree._Element, learner: str = "learner-1") -> list[dict]:
    """The items one learner is graded on: a drawing attachment_quiz draws a form per learner (first
    attempt; the seed's usage id is the url_name here), any other quiz gives every item."""
    if not quiz.get("draw"):
        return items
    pool = [(i["id"], i["objective"]) for i in items]
    seed = f"{quiz.get('url_name')}|{learner}|attempt-1"
    form = set(stratified_draw(pool, int(quiz.get("per_objective", "0")), int(quiz.get("draw")), seed))
    return [i for i in items if i["id"] in form]


def _round_away(x: float) -> float:
    return math.floor(x + 0.5) if x >= 0 else -math.floor(-x + 0.5)


def lms_grade(root: Path, missed: set[str]) -> tuple[float, bool]:
    """Course percent and pass status as the LMS computes them for a learner who gets ``missed`` wrong.

    Subsection percent = earned / possible over its scored components; per assignment type: pad to
    min_count with zeros, drop the lowest drop_count, average; weighted sum over types; then
    round_away_from_zero(percent * 100 + 0.05) / 100 against the lowest cutoff.
    """
    policy = json.loads((root / "policies" / run_of(root) / "grading_policy.json").read_text())
    subsections: dict[tuple[str, str], list[float]] = {}  # (format, sequential) -> [earned, possible]
    for comp in scored_components(root):
        got = comp.weight * sum(share for iid, share in comp.shares.items() if iid not in missed)
        tally = subsections.setdefault((comp.fmt, comp.subsection), [0.0, 0.0])
        tally[0] += got
        tally[1] += comp.weight
    total = 0.0
    for grader in policy["GRADER"]:
        scores = [e / p for (fmt, _), (e, p) in subsections.items() if fmt == grader["type"] and p]
        scores += [0.0] * max(0, grader["min_count"] - len(scores))
        kept = sorted(scores)[grader["drop_count"]:]
        total += grader["weight"] * (sum(kept) / len(kept) if kept else 0.0)
    percent = _round_away(total * 100 + 0.05) / 100
    return percent, percent >= min(policy["GRADE_CUTOFFS"].values())
