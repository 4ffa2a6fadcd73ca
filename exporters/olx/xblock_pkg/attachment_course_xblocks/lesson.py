"""The lesson block: one lesson's learner text (sanitized HTML written by the course kit) and objectives."""

from __future__ import annotations

from html import escape
from typing import Any

from web_fragments.fragment import Fragment
from xblock.core import XBlock
from xblock.fields import List, Scope, String

from .olx import OlxFieldsMixin


class LessonBlock(OlxFieldsMixin, XBlock):
    """A lesson page; not scored (completion comes from viewing it)."""

    display_name = String(default="Lesson", scope=Scope.settings, help="Title shown in the course outline")
    objectives = List(default=[], scope=Scope.content, help="Learning objectives, in learner language")
    body = String(default="", scope=Scope.content, help="Lesson HTML, sanitized when the course was built")

    xml_children = {"objectives": ("objective", "text"), "body": ("body", "text")}
    icon_class = "other"

    def student_view(self, context: dict[str, Any] | None = None) -> Fragment:
        """The objectives, then the lesson text."""
        parts = [f'<div class="attachment-lesson"><h2>{escape(self.display_name)}</h2>']
        if self.objectives:
            items = "".join(f"<li>{escape(o)}</li>" for o in self.objectives)
            parts.append(f'<section class="objectives"><h3>In this lesson you will</h3><ul>{items}</ul></section>')
        # The body was sanitized by the course kit at build time; authors cannot add raw HTML.
        parts.append(f'<div class="lesson-body">{self.body}</div></div>')
        return Fragment("".join(parts))

    @staticmethod
    def workbench_scenarios() -> list[tuple[str, str]]:
        """A lesson as the workbench shows it."""
        return [("Attachment course: lesson", """
<attachment_lesson display_name="Sample lesson">
  <objective>Name how early care can affect trust.</objective>
  <body>&lt;p&gt;When care in childhood is not steady, trust can be hard later.&lt;/p&gt;</body>
</attachment_lesson>""")]
