"""Accreditor pages of an edition: credit and contact hours, references, disclosure, learner policies.

They are generated from ``lessons/course.yaml`` (and the fact register's ``added`` list) as ordinary
course pages, so every format (SCORM, OLX, PDF) shows the same text. Only an edition that issues
certificates (CE) gets them: they are what an accreditor reviews, and the staff and family editions keep
their own course pages ("Source of the course content" already says where the material comes from).
"""

from __future__ import annotations

from course import markdown as md
from course.compiled import CompiledEdition, CompiledPage, objective_text
from course.contact import live_hours
from course.model import Course, CourseManifest

SAMPLE_NOTE = ("**SAMPLE.** The provider details of this edition are placeholders. It cannot be offered for credit "
               "until the provider fills them in (lessons/course.yaml: provider, author).")


def missing(manifest: CourseManifest) -> list[tuple[str, str]]:
    """(course.yaml key, field) pairs a CE reference list, disclosure or policy page still lacks."""
    gaps = [("source", name) for name, value in manifest.source if value is None]
    gaps += [("policies", name) for name, value in manifest.policies if value is None]
    if manifest.provider.planners_disclosure is None:
        gaps.append(("provider", "planners_disclosure"))
    return gaps


def _page(ed: CompiledEdition, page_id: str, title: str, paragraphs: list[str]) -> CompiledPage:
    text = "\n\n".join(p for p in paragraphs if p)
    return CompiledPage(id=page_id, title=title, html=md.render(md.parse(text), ed.edition, False))


def _unset(value: str | None) -> str:
    return value if value is not None else "(not set in lessons/course.yaml)"


def credit_page(course: Course, ed: CompiledEdition) -> CompiledPage:
    """Hours per delivery format with their computations, completion rule, objectives and provider."""
    home, live, provider = ed.contact, ed.live_contact or live_hours(course, ed.edition), ed.provider
    rule = (f"score at least {ed.result_pass_mark}% on the post-test (up to {ed.final_test.attempts} attempts)"
            if ed.assessment == "final" and ed.final_test else "complete every lesson")
    objectives = "\n".join(f"- {objective_text(o, ed.edition)}" for lesson in ed.lessons for o in lesson.objectives)
    return _page(ed, "contact-hours", "Credit and contact hours", [
        SAMPLE_NOTE if provider.sample else "",
        "The contact hours depend on how you complete the course. The certificate states the format you "
        "completed and the hours for that format.",
        f"**Home study (self-paced): {home.hours:g} contact hours.** How they were computed: {home.method}.",
        f"**Live group sessions: {live.hours:g} contact hours.** How they were computed: {live.method}.",
        f"To earn the certificate, {rule}" + (" and submit the course evaluation." if ed.evaluation else "."),
        f"Level: {ed.level}. Format: {ed.delivery_format}. Released {ed.date.isoformat()}.",
        "## Learning objectives\n\nAfter completing the course, you will be able to:\n\n" + objectives,
        "## Provider",
        f"{provider.name}, provider number {provider.number}." + (f" {provider.address}." if provider.address else ""),
        provider.approval_statement,
        f"Assessment author: {ed.author}.",
    ])


def references_page(course: Course, ed: CompiledEdition) -> CompiledPage:
    """The source article with its bibliographic details, and the course's own additions with their basis."""
    s = course.manifest.source
    added = "\n".join(f"- **{g.id}.** {g.statement} *Basis:* {g.basis}" for g in course.facts.added)
    return _page(ed, "references", "References", [
        "## Source",
        f"*{_unset(s.title)}.* Author: {_unset(s.author)} Published in: {_unset(s.container)}. "
        f"Publisher: {_unset(s.publisher)}. Date: {_unset(s.published)} Address: {_unset(s.url)} "
        f"Accessed: {_unset(s.accessed)}",
        "Every fact the course teaches is traced to numbered paragraphs of this article in the fact register "
        "(lessons/facts.yaml).",
        "## What the course adds",
        "The course cites no other publication. The practice and safety guidance it adds is marked in the "
        "lessons and rests on standard professional practice, as stated here:",
        added,
    ])


def disclosure_page(course: Course, ed: CompiledEdition) -> CompiledPage:
    """Commercial source, no endorsement, and the planners' conflicts of interest."""
    s, provider = course.manifest.source, ed.provider
    return _page(ed, "financial-disclosure", "Disclosure", [
        SAMPLE_NOTE if provider.sample else "",
        "## The source",
        f"The course is based on one article whose publisher is {_unset(s.publisher)[0].lower()}"
        f"{_unset(s.publisher)[1:]}. {_unset(s.publisher_interest)}",
        "Sentences of the article that promoted the publisher's own programmes were left out, and the course "
        "makes no claim about how well any one programme works.",
        "## No endorsement",
        "The course endorses no treatment provider, programme or product. Where it describes kinds of care, it "
        "explains what they are, not where to get them.",
        "## Planners and authors",
        _unset(provider.planners_disclosure),
    ])


def policies_page(course: Course, ed: CompiledEdition) -> CompiledPage:
    """Accommodations, complaints, certificate issue, release and expiry dates."""
    p = course.manifest.policies
    expires = p.expires.isoformat() if p.expires else "(not set in lessons/course.yaml)"
    return _page(ed, "policies", "Learner policies", [
        f"## Accommodations\n\n{_unset(p.accommodations)}",
        f"## Complaints\n\n{_unset(p.complaints)}",
        f"## Certificate\n\n{_unset(p.certificate)}",
        f"## Release and expiry\n\nThis version ({ed.version}) was released on {ed.date.isoformat()}. It may be "
        f"completed for credit until {expires}; after that date the provider reviews and updates the course "
        "before offering credit again.",
    ])


def pages(course: Course, ed: CompiledEdition) -> list[CompiledPage]:
    """The accreditor pages this edition carries, in reading order."""
    if not ed.settings.certificate:
        return []
    return [credit_page(course, ed), references_page(course, ed), disclosure_page(course, ed),
            policies_page(course, ed)]
