"""Filled-in provider details remove every placeholder from the built CE artifacts (issue #10), and no
CE artifact speaks to new staff or to families."""

from __future__ import annotations

import re
import shutil
import tarfile
import zipfile
from pathlib import Path

from pypdf import PdfReader

from course.accreditation import SAMPLE_NOTE
from course.build import build
from course.loader import load_course

FILLED = {
    "name": "Northfield Counselor Education",
    "number": "NCE-4471",
    "approval_statement": "Northfield Counselor Education is approved by the State Board to offer continuing "
                          "education. Northfield Counselor Education maintains responsibility for this program.",
    "address": "12 Example Road, Springfield",
    "planners_disclosure": "The planners and the assessment author declared no relevant financial relationships.",
}
BANNED = ("new staff", "your loved one", "stay within your role")


def _fill(root: Path) -> None:
    """Replace the provider block and the author line of a copied course.yaml with real-looking values."""
    manifest = root / "lessons" / "course.yaml"
    text = manifest.read_text(encoding="utf-8")
    lines = "".join(f"  {key}: \"{value}\"\n" for key, value in FILLED.items())
    block = "provider:\n" + lines + "  placeholder: false\n"
    text = re.sub(r"^provider:\n(?:  .*\n|  #.*\n|    .*\n)+", block, text, flags=re.M)
    text = re.sub(r"^author: .*$", 'author: "Dr. A. Example, PhD, licensed professional counselor"', text, flags=re.M)
    manifest.write_text(text, encoding="utf-8")


def _texts(path: Path) -> dict[str, str]:
    """Every text a learner or facilitator can read in one artifact, by member name."""
    if path.suffix == ".pdf":
        return {path.name: "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)}
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as z:
            return {f"{path.name}:{n}": z.read(n).decode("utf-8", "replace") for n in z.namelist()
                    if n.endswith((".html", ".xml", ".js", ".json"))}
    if path.name.endswith(".tar.gz"):
        with tarfile.open(path) as t:
            return {f"{path.name}:{m.name}": t.extractfile(m).read().decode("utf-8", "replace")  # type: ignore[union-attr]
                    for m in t.getmembers() if m.isfile() and m.name.endswith((".html", ".xml", ".json"))}
    return {path.name: path.read_text(encoding="utf-8", errors="replace")}


def test_filled_provider_leaves_no_placeholder_in_any_ce_artifact(tmp_path: Path, repo_root: Path) -> None:
    root = tmp_path / "course"
    for part in ("lessons", "quizzes"):
        shutil.copytree(repo_root / part, root / part)
    _fill(root)
    course, found = load_course(root)
    assert course is not None, found.items
    assert not course.manifest.provider.sample
    result = build(course, tmp_path / "dist", editions=["ce"])
    assert not [n for n in result.notes if "ce.sample" in n]
    artifacts = [tmp_path / "dist" / a for a in result.artifacts if a.parts[0] == "ce"]
    assert {a.suffix for a in artifacts} >= {".pdf", ".zip", ".gz"}
    texts: dict[str, str] = {}
    for artifact in artifacts:
        texts.update(_texts(artifact))
    flat = {name: " ".join(text.split()) for name, text in texts.items()}
    assert not {n for n, t in flat.items() if "PLACEHOLDER" in t or "[placeholder]" in t.lower()}
    assert not {n for n, t in flat.items() if SAMPLE_NOTE[:40] in t}
    guide = next(t for n, t in flat.items() if n.endswith("facilitator-guide.pdf"))
    assert "Dr. A. Example" in guide and FILLED["planners_disclosure"] in "".join(flat.values())
    for phrase in BANNED:
        assert not {n for n, t in flat.items() if phrase in t.lower()}, phrase
    # Each session opens with its run sheet, on one page (its closing timing note is on the same page).
    guide_pdf = next(a for a in artifacts if a.name.endswith("facilitator-guide.pdf"))
    sheets = [page.extract_text() or "" for page in PdfReader(guide_pdf).pages]
    sheets = [t for t in sheets if "Run sheet:" in t]
    assert len(sheets) == len(course.lessons) and all("Quiz timing" in t for t in sheets)


def test_placeholders_warn_and_stamp_sample(tmp_path: Path, real_course) -> None:
    result = build(real_course, tmp_path / "dist", editions=["ce"], formats=["json"])
    assert [n for n in result.notes if n.startswith("warning:") and "[ce.sample]" in n]
    data = (tmp_path / "dist" / result.artifacts[0]).read_text(encoding="utf-8")
    assert "SAMPLE" in data and "PLACEHOLDER" in data


