"""Flesch-Kincaid grade level with a plain syllable heuristic (good to about half a grade)."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?:;]+(?=\s|$)")
_VOWELS = re.compile(r"[aeiouy]+")
_NO_SILENT_ENDING = re.compile(r"[td]ed$|[sxz]es$|[cs]hes$|ges$")


@lru_cache(maxsize=65536)  # a course reuses a few thousand words many times
def syllables(word: str) -> int:
    """Vowel groups, less a silent final 'e', at least one."""
    w = word.lower().replace("’", "'")
    groups = _VOWELS.findall(w)
    count = len(groups)
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    if w.endswith(("ed", "es")) and count > 1 and not _NO_SILENT_ENDING.search(w):
        count -= 1
    return max(1, count)


def words(text: str) -> list[str]:
    """The words of ``text``."""
    return _WORD.findall(text)


def sentence_count(text: str) -> int:
    """Sentences: terminal punctuation, and every line (heading, list item) ends one too."""
    total = 0
    for line in text.splitlines():
        if not words(line):
            continue
        ends = len(_SENTENCE_END.findall(line))
        closed = ends and _SENTENCE_END.search(line.rstrip() + " ") and line.rstrip()[-1] in ".!?:;"
        total += ends if closed else ends + 1  # a line without final punctuation still ends a sentence
    return max(1, total)


def fk_grade(text: str) -> float:
    """Flesch-Kincaid grade level of ``text`` (0 for empty text)."""
    ws = words(text)
    if not ws:
        return 0.0
    syl = sum(syllables(w) for w in ws)
    grade = 0.39 * len(ws) / sentence_count(text) + 11.8 * syl / len(ws) - 15.59
    return round(grade, 1)
