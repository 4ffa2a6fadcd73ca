"""A PDF/UA-1 structure checker (pikepdf): the Matterhorn Protocol machine checks this project can run.

Each check returns failure strings ("<checkpoint> <what>, page N"); an empty list is a pass. Covered:
untagged content (01-004/01-005), content tagged but outside the tree (01-005 via the parent tree), artifacts
inside tagged content (01-003), heading nesting (14-003) and headings inside headings, tables (15-003:
every TH has a Scope, every TD's Headers exist, IDTree present), links (28-004 description, 28-011 one
Link per annotation, no Link inside a Link), ``/Tabs /S`` (28-010... 09-004 in spirit), fonts embedded with
ToUnicode (31-009, 31-027), document title shown (07-001), ``Lang``, ``pdfuaid:part``, and one document-level
structure (no ``Part`` per page).
"""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf

DRAWING = {"Tj", "TJ", "'", '"', "Do", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "BI"}


def _kids(elem: pikepdf.Object) -> list:
    k = elem.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def _is_elem(obj: object) -> bool:
    return isinstance(obj, pikepdf.Dictionary) and "/S" in obj


def _walk(elem: pikepdf.Object, parents: tuple[str, ...] = ()):
    """(element, ancestor tags) depth first, in reading order."""
    yield elem, parents
    for kid in _kids(elem):
        if _is_elem(kid):
            yield from _walk(kid, (*parents, str(elem.S)))


def _page_no(pdf: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    return {p.obj.objgen: i for i, p in enumerate(pdf.pages, start=1)}


def check_content(pdf: pikepdf.Pdf, reachable: set[tuple[int, int]]) -> list[str]:
    """Every drawing operator is in tagged content or an artifact; every MCID is in the tree."""
    failures = []
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for number, page in enumerate(pdf.pages, start=1):
        refs = parents.get(int(page.obj.get("/StructParents", -1)))
        stack: list[str] = []
        untagged = 0
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                tag = str(operands[0])
                mcid = operands[1].get("/MCID") if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) else None
                if tag != "/Artifact" and "artifact" in stack:
                    failures.append(f"01-003 tagged content inside an artifact, page {number}")
                if mcid is not None:
                    ref = refs[int(mcid)] if refs is not None and int(mcid) < len(refs) else None
                    if not _is_elem(ref) or ref.objgen not in reachable:
                        failures.append(f"01-005 MCID {mcid} is not in the structure tree, page {number}")
                stack.append("artifact" if tag == "/Artifact" else ("mcid" if mcid is not None else "other"))
            elif op == "EMC":
                if stack:
                    stack.pop()
            elif op in DRAWING and not ({"artifact", "mcid"} & set(stack)):
                untagged += 1
        if untagged:
            failures.append(f"01-004 {untagged} drawing operations neither tagged nor artifact, page {number}")
    return failures


def check_headings(document: pikepdf.Object) -> list[str]:
    """Headings do not skip a level going down, and no heading contains a heading."""
    failures, last = [], 0
    for elem, parents in _walk(document):
        tag = str(elem.S)
        if re.fullmatch(r"/H[1-6]", tag):
            level = int(tag[2])
            if any(re.fullmatch(r"/H[1-6]?", p) for p in parents):
                failures.append(f"14-xxx heading {tag} inside a heading")
            if level > last + 1:
                failures.append(f"14-003 heading level skipped: H{last} then H{level}")
            last = level
    return failures


def check_tables(root: pikepdf.Object, document: pikepdf.Object) -> list[str]:
    """TH with Scope; TD Headers point at existing header ids; IDTree lists every id."""
    failures = []
    ids = {str(e.ID) for e, _ in _walk(document) if "/ID" in e}
    tree = root.get("/IDTree")
    listed = set()
    if tree is not None:
        names = tree.get("/Names", [])
        listed = {str(names[i]) for i in range(0, len(names), 2)}
    if ids and tree is None:
        failures.append("IDTree missing while elements carry /ID (ISO 32000-1 14.7.2)")
    if ids - listed:
        failures.append(f"IDTree lacks {len(ids - listed)} ids")
    for elem, _ in _walk(document):
        tag = str(elem.S)
        attrs = elem.get("/A")
        if tag == "/TH" and (attrs is None or "/Scope" not in attrs):
            failures.append("15-003 TH without Scope")
        if tag == "/TD" and attrs is not None and "/Headers" in attrs:
            missing = [str(h) for h in attrs.Headers if str(h) not in ids]
            if missing:
                failures.append(f"15-xxx TD Headers point at missing ids {missing}")
        if tag == "/Table" and not any(str(e.S) == "/TH" for e, _ in _walk(elem)):
            failures.append("15-xxx table without a header cell")
    return failures


def check_links(pdf: pikepdf.Pdf, document: pikepdf.Object) -> list[str]:
    """Each link annotation has a description and one Link element; no Link inside a Link; /Tabs /S."""
    failures = []
    owners: dict[tuple[int, int], int] = {}
    for elem, parents in _walk(document):
        if str(elem.S) == "/Link" and "/Link" in parents:
            failures.append("28-xxx Link inside a Link")
        for kid in _kids(elem):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                owners[kid.Obj.objgen] = owners.get(kid.Obj.objgen, 0) + 1
    for number, page in enumerate(pdf.pages, start=1):
        annots = page.obj.get("/Annots", [])
        if annots and page.obj.get("/Tabs") != "/S":
            failures.append(f"28-010 page without /Tabs /S, page {number}")
        for annot in annots:
            if annot.get("/Subtype") != "/Link":
                continue
            text = str(annot.get("/Contents", ""))
            if not text.strip() or re.fullmatch(r"[a-z0-9-]+", text):
                failures.append(f"28-004 link without a description ({text!r}), page {number}")
            if owners.get(annot.objgen, 0) != 1:
                failures.append(f"28-011 link annotation in {owners.get(annot.objgen, 0)} Link elements, page {number}")
    return failures


def check_fonts(pdf: pikepdf.Pdf) -> list[str]:
    """Every font is embedded and maps its glyphs to Unicode."""
    failures, seen = [], set()
    for page in pdf.pages:
        for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            name = str(font.get("/BaseFont"))
            if "/ToUnicode" not in font:
                failures.append(f"31-027 font {name} without ToUnicode")
            for desc in font.get("/DescendantFonts", [font]):
                descriptor = desc.get("/FontDescriptor", {})
                if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    failures.append(f"31-009 font {name} not embedded")
    return failures


def check_document(pdf: pikepdf.Pdf, document: pikepdf.Object) -> list[str]:
    """Title shown, language, PDF/UA identification, one document-level structure."""
    failures = []
    if pdf.Root.get("/ViewerPreferences", {}).get("/DisplayDocTitle") is not True:
        failures.append("07-002 DisplayDocTitle is not true")
    if not str(pdf.Root.get("/Lang", "")):
        failures.append("11-006 no document language")
    with pdf.open_metadata() as meta:
        if not meta.get("dc:title"):
            failures.append("06-003 no dc:title")
        if meta.get("pdfuaid:part") != "1":
            failures.append("06-002 no pdfuaid:part=1")
    parts = [k for k in _kids(document) if _is_elem(k) and str(k.S) == "/Part"]
    if len(parts) > 1:
        failures.append(f"structure split by page: {len(parts)} Part elements under Document")
    return failures


def check(path: Path) -> list[str]:
    """Every failure found in ``path``."""
    with pikepdf.open(path) as pdf:
        root = pdf.Root.StructTreeRoot
        documents = [k for k in _kids(root) if _is_elem(k)]
        if len(documents) != 1:
            return [f"structure tree root has {len(documents)} top elements, not one Document"]
        document = documents[0]
        reachable = {e.objgen for e, _ in _walk(document) if e.is_indirect}
        return (check_content(pdf, reachable) + check_headings(document) + check_tables(root, document)
                + check_links(pdf, document) + check_fonts(pdf) + check_document(pdf, document))
