"""XBlocks of the attachment course: a lesson page and a quiz scored on the server.

Import-clean on purpose: only ``xblock`` and the standard library, so operators can pip-install it
into the Open edX LMS and Studio without the course kit.
"""

from .lesson import LessonBlock
from .quiz import QuizBlock

__all__ = ["LessonBlock", "QuizBlock"]
__version__ = "0.2.0"
