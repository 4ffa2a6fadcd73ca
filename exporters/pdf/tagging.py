"""PDF/UA repairs of WeasyPrint 70's tagged output, so the ``pdfuaid:part=1`` claim holds.

WeasyPrint builds the structure tree page by page: running heads and page numbers are tagged but hang
outside the tree (its issue #1836), every page becomes its own ``Part`` (a table crossing a page break
becomes two tables), line breaks carry no space, and leaders are tagged text. Two steps fix this:

1. ``annotated()`` wraps WeasyPrint's tree builder while the PDF is written and stamps each structure
   element with the HTML element it came from (``/CKElem``, ``/CKBox``), marks leader boxes, adds the
   ``/Scope`` of table headers, describes every link ("Lesson 1: …, page 7") and gives each line's last
   word a trailing space (``/ActualText``) when a soft line break or a page break inside the paragraph follows it.
2. ``finish()`` (pikepdf) merges the per-page elements of the same HTML element into one, turns
   detached content into ``/Artifact /Pagination`` and leaders into layout artifacts, drops repeated
   table headers, flattens anonymous boxes (an H1 inside an H1), builds ``/IDTree`` and removes the marks.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

MARKS = ("/CKElem", "/CKBox", "/CKLeader")
# A line that ends in one of these breaks inside a word: no space is read there.
INLINE_TAGS = ("span", "strong", "em", "b", "i", "small")
NO_SPACE_AFTER = ("-", "\u2010", "\u2011", "\u00ad", "/", "\u2013", "\u2014")


def _last_text(box: Any, boxes: Any) -> Any:
    """The last text box drawn inside ``box`` (a line or an inline box), or None."""
    for child in reversed(getattr(box, "children", ())):
        if isinstance(child, boxes.TextBox):
            return child
        found = _last_text(child, boxes) if isinstance(child, boxes.InlineBox) else None
        if found is not None:
            return found
    return None


def _continued(document: Any, boxes: Any) -> set[int]:
    """ids of the boxes whose element goes on after a page break (WeasyPrint drops a fragmented box's
    bottom decoration). Read before the PDF is written: drawing copies boxes and clears the mark."""
    found: set[int] = set()
    stack = [page._page_box for page in document.pages]
    while stack:
        box = stack.pop()
        if isinstance(box, boxes.BlockBox) and "bottom" in box.remove_decoration_sides:
            found.add(id(box))
        stack.extend(getattr(box, "children", ()))
    return found


def _line_ends(box: Any, tags: dict, boxes: Any, continued: set[int]) -> list[tuple[int, str]]:
    """(mcid, text) of the last word of every line but the block's last: a soft line break follows it."""
    lines = [c for c in getattr(box, "children", ()) if isinstance(c, boxes.LineBox)]
    # An inline element set as a block ("LESSON 1" above the title in an H1) is followed by more text of
    # the same heading or paragraph: its last line needs the space too. So does the last line of a
    # paragraph's fragment that continues on the next page (WeasyPrint drops the bottom decoration of a
    # fragmented box): the page break falls between two words.
    if not (id(box) in continued or (isinstance(box, boxes.BlockBox) and box.element_tag in INLINE_TAGS)):
        lines = lines[:-1]
    ends = []
    for line in lines:
        leaf = _last_text(line, boxes)
        if leaf is None or leaf not in tags or not leaf.text or leaf.text[-1].isspace():
            continue
        if leaf.text.endswith(NO_SPACE_AFTER):
            continue
        ends.append((tags[leaf]["mcid"], leaf.text))
    return ends


def _describe(element: Any, anchors: dict[str, int]) -> str:
    """A link's description: its text, and for a link inside the document the page it leads to."""
    label = " ".join("".join(element.itertext()).split()) if element is not None else ""
    href = (element.get("href") or "") if element is not None else ""
    if href.startswith("#") and href[1:] in anchors:
        label = label.removesuffix("p.").strip(" ,")
        return f"{label}, page {anchors[href[1:]]}" if label else f"page {anchors[href[1:]]}"
    return label or href


@contextmanager
def annotated(document: Any, anchors: dict[str, int]) -> Iterator[None]:
    """While WeasyPrint writes ``document`` as PDF, mark its structure elements for ``finish()``."""
    import pydyf
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.absolute import AbsolutePlaceholder
    from weasyprint.pdf import tags as wp_tags

    original = wp_tags._build_box_tree
    continued = _continued(document, boxes)
    numbers: dict[tuple[int, str | None], int] = {}
    alive: list[Any] = []  # keeps the HTML elements alive, so their id() stays unique

    def number(box: Any) -> int:
        key = (id(box.element), box.element_tag)
        if key not in numbers:
            numbers[key] = len(numbers) + 1
            alive.append(box.element)
        return numbers[key]

    def build(box, parent, pdf, page_number, nums, annotations, tags):  # noqa: ANN001, ANN202 - WeasyPrint's
        real = box._box if isinstance(box, AbsolutePlaceholder) else box
        ends = _line_ends(real, tags, boxes, continued)
        for element in original(box, parent, pdf, page_number, nums, annotations, tags):
            if "CKBox" not in element and real.element is not None:
                n = number(real)
                element["CKElem"] = n
                element["CKBox"] = pydyf.String(f"{n}:{type(real).__name__}")
                if getattr(real, "is_leader", False):
                    element["CKLeader"] = "true"
                if element["S"] == "/TH":
                    element["A"]["Scope"] = "/Row" if real.element.get("scope") == "row" else "/Column"
                if real.link_annotation is not None:
                    real.link_annotation["Contents"] = pydyf.String(_describe(real.element, anchors))
            yield element
        for mcid, text in ends:
            ref = nums.get(mcid)
            kid = pdf.objects[int(ref.split()[0])] if ref else None
            if kid is not None and list(kid["K"]) == [mcid]:  # a text span of its own, not a link's text
                kid["ActualText"] = pydyf.String(text + " ")

    wp_tags._build_box_tree = build
    try:
        yield
    finally:
        wp_tags._build_box_tree = original


# --------------------------------------------------------------------------- pikepdf post-processing


def _is_elem(obj: Any) -> bool:
    import pikepdf

    return isinstance(obj, pikepdf.Dictionary) and "/S" in obj


def _kids(elem: Any) -> list[Any]:
    import pikepdf

    k = elem.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def _mcids(elem: Any) -> Iterator[tuple[tuple[int, int], int]]:
    """(page objgen, mcid) of every marked-content item in ``elem``'s subtree."""
    import pikepdf

    page = elem.get("/Pg")
    for kid in _kids(elem):
        if isinstance(kid, int):
            yield page.objgen, int(kid)
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            yield kid.get("/Pg", page).objgen, int(kid.MCID)
        elif _is_elem(kid):
            yield from _mcids(kid)


class _Repair:
    """One pass over a tagged PDF."""

    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf
        self.artifacts: dict[tuple[tuple[int, int], int], str] = {}  # (page, mcid) -> artifact type
        self.th_ids: dict[str, str] = {}  # repeated header id -> the header kept
        self.links: set[tuple[int, int]] = set()  # link annotations owned by a Link element

    def drop(self, elem: Any, kind: str) -> None:
        """Take ``elem`` out of the structure; its content becomes an artifact."""
        for key in _mcids(elem):
            self.artifacts[key] = kind

    def _same_page_kids(self, kid: Any, target: Any) -> list[Any]:
        """``kid``'s children, with bare MCIDs of another page made explicit (``/MCR`` with ``/Pg``)."""
        import pikepdf

        kids = _kids(kid)
        if kid.get("/Pg") is None or target.get("/Pg") is None or kid.Pg.objgen == target.Pg.objgen:
            return kids
        return [pikepdf.Dictionary(Type=pikepdf.Name.MCR, MCID=k, Pg=kid.Pg) if isinstance(k, int) else k
                for k in kids]

    def merge(self, parent: Any, incoming: list[Any]) -> None:
        """Append ``incoming`` to ``parent``'s kids; a continuation of the same box joins its first part."""
        import pikepdf

        target = _kids(parent)
        for kid in incoming:
            match = None
            key = kid.get("/CKBox") if _is_elem(kid) else None
            if key is not None and parent.get("/S") == "/Table":
                match = next((t for t in target if _is_elem(t) and t.get("/CKBox") == key), None)
            elif key is not None and target and _is_elem(target[-1]) and target[-1].get("/CKBox") == key:
                match = target[-1]
            if match is None:
                if _is_elem(kid):
                    kid.P = parent
                target.append(kid)
            elif kid.S in ("/THead", "/TFoot"):
                self._map_headers(match, kid)
                self.drop(kid, "/Pagination")
            else:
                self.merge(match, self._same_page_kids(kid, match))
        parent.K = pikepdf.Array(target)

    def _map_headers(self, kept: Any, repeated: Any) -> None:
        """Cells after a page break point at the repeated header row; point them at the first one."""
        def ids(elem: Any) -> list[str]:
            found = [str(elem.ID)] if "/ID" in elem else []
            for k in _kids(elem):
                if _is_elem(k):
                    found += ids(k)
            return found
        self.th_ids.update(zip(ids(repeated), ids(kept), strict=False))

    def tidy(self, elem: Any, found: dict[str, Any], reachable: set[tuple[int, int]], in_link: bool = False) -> None:
        """Depth first: drop leaders, flatten anonymous boxes, fix header refs, collect ids, remove marks.

        WeasyPrint gives every inline box inside a link an annotation of its own; only the link's is kept.
        """
        import pikepdf

        kids = []
        in_link = in_link or elem.get("/S") == "/Link"
        for kid in _kids(elem):
            if not _is_elem(kid):
                is_objr = isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"
                if is_objr and elem.get("/S") == "/Link" and kid.Obj.objgen not in self.links:
                    self.links.add(kid.Obj.objgen)
                elif is_objr:
                    continue  # a nested box's copy of the enclosing link
                kids.append(kid)
                continue
            if "/CKLeader" in kid:
                self.drop(kid, "/Layout")
                continue
            anonymous = kid.S == elem.get("/S") and "/CKElem" in kid and kid.get("/CKElem") == elem.get("/CKElem")
            self.tidy(kid, found, reachable, in_link)
            if anonymous:
                for grandchild in _kids(kid):  # an anonymous box of the same element (H1 inside H1)
                    if _is_elem(grandchild):
                        grandchild.P = elem
                    kids.append(grandchild)
                continue
            kids.append(kid)
        if "/K" in elem:
            elem.K = pikepdf.Array(kids)
        attrs = elem.get("/A")
        if isinstance(attrs, pikepdf.Dictionary) and "/Headers" in attrs:
            attrs.Headers = pikepdf.Array([pikepdf.String(self.th_ids.get(str(h), str(h))) for h in attrs.Headers])
        if "/ID" in elem:
            found[str(elem.ID)] = elem
        for mark in MARKS:
            if mark in elem:
                del elem[mark]
        if elem.is_indirect:
            reachable.add(elem.objgen)


def _rewrite_page(pdf: Any, page: Any, artifact: dict[int, str]) -> None:
    """Turn the marked content of the ``artifact`` MCIDs into ``/Artifact`` sequences."""
    import pikepdf

    ops = []
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "BDC" and len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary) \
                and "/MCID" in operands[1] and int(operands[1].MCID) in artifact:
            kind = artifact[int(operands[1].MCID)]
            operands = [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name(kind))]
        ops.append(pikepdf.ContentStreamInstruction(operands, operator))
    page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))


def finish(data: bytes) -> bytes:
    """Repair the structure of a PDF written under ``annotated()``; see the module docstring."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    root = pdf.Root.StructTreeRoot
    document = root.K[0]
    repair = _Repair(pdf)
    pages = list(document.K)
    document.K = pikepdf.Array()
    repair.merge(document, pages)
    found: dict[str, Any] = {}
    reachable: set[tuple[int, int]] = set()
    repair.tidy(document, found, reachable)
    if found:
        names = pikepdf.Array()
        for key in sorted(found):
            names.extend([pikepdf.String(key), found[key]])
        root.IDTree = pikepdf.Dictionary(Names=names)
    nums = root.ParentTree.Nums
    removed: set[int] = set()
    for page in pdf.pages:
        page.obj.Tabs = pikepdf.Name.S
        if "/Annots" in page.obj:
            orphans = [a for a in page.obj.Annots if a.get("/Subtype") == "/Link" and a.objgen not in repair.links]
            removed.update(int(a.StructParent) for a in orphans if "/StructParent" in a)
            page.obj.Annots = pikepdf.Array([a for a in page.obj.Annots if a not in orphans])
        position = next(i for i in range(0, len(nums), 2) if int(nums[i]) == int(page.obj.StructParents))
        refs = nums[position + 1]
        artifact = {}
        for mcid in range(len(refs)):
            ref = refs[mcid]
            kind = repair.artifacts.get((page.obj.objgen, mcid))
            if kind is None and (not _is_elem(ref) or ref.objgen not in reachable):
                kind = "/Pagination"  # tagged but outside the tree: running heads, page numbers, blank notes
            if kind is not None:
                artifact[mcid] = kind
                refs[mcid] = pikepdf.Object.parse(b"null")
        if artifact:
            _rewrite_page(pdf, page, artifact)
    if removed:  # the parent-tree entries of the annotations just removed go too
        kept = pikepdf.Array()
        for i in range(0, len(nums), 2):
            if int(nums[i]) not in removed:
                kept.extend([nums[i], nums[i + 1]])
        root.ParentTree.Nums = kept
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()
