"""Attachment trauma in addiction: course sources -> validated model -> checks -> exports."""

from course.diagnostics import CourseError, Diagnostic, ExportError, SourceError
from course.loader import load_course
from course.model import Course

__all__ = ["Course", "CourseError", "Diagnostic", "ExportError", "SourceError", "load_course"]
