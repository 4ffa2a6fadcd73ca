"""Load the course sources into one validated ``Course``; collect every problem before failing."""

from __future__ import annotations

import gc
import re
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from markdown_it.token import Token
from pydantic import BaseModel, TypeAdapter, ValidationError

from course import markdown as md
from course.diagnostics import Collector
from course.markdown.blocks import BLOCKS, FILLED, parse_info
from course.model import (
    EDITIONS,
    Block,
    Course,
    CourseManifest,
    Evaluation,
    FactRegister,
    Glossary,
    ItemLintRules,
    Lesson,
    LessonMeta,
    LessonView,
    Page,
    PageMeta,
    QuizBank,
    RetiredPhrases,
    Slug,
    Snippet,
    SourceLocation,
)
from course.readability import fk_grade, words
from course.sources import compose_yaml, node_line, read_text, validate

_ATTRS: dict[str, set[str]] = {
    "edition": set(),
    "facilitator": {"editions"},
    "reflection": {"lines", "facts", "editions"},
    "vignette": {"title", "facts", "editions"},
    "discussion": {"facts", "editions"},
    "themes": {"editions"},
    "keypoints": {"facts", "editions"},
    "activity": {"minutes", "title", "facts", "editions", "selfstudy"},
    "gethelp": set(),
    "callout": {"title", "editions"},
    "delivery": {"editions"},
    "additions": set(),
}
SNIPPET_DIR = "lessons/snippets"  # every <name>.md there is a snippet, loaded and checked like a lesson body
SNIPPETS = {"gethelp": "get-help"}  # block kind -> the snippet (lessons/snippets/<name>.md) an empty block shows
GETHELP = f"{SNIPPET_DIR}/{SNIPPETS['gethelp']}.md"
_SNIPPET_NAME: TypeAdapter[str] = TypeAdapter(Slug)  # a snippet's file name is its id
# What the course adds besides its added facts; the ``::: additions`` block always lists these.
ADDITIONS = (
    "**Definitions.** Terms are explained in plain words, and there is a glossary.",
    "**Cases and activities.** Every case is made up. The reflections, questions and activities were written "
    "for the course.",
    "**Practice tips.** Ideas for staff and for families. They follow from the article's ideas, but they are the "
    "course's own advice.",
    "**Safety guidance.** The \"When to get help now\" box and the points below are not from the article. Each "
    "point says on what basis the course adds it.",
)
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".webp": "image/webp"}
MAX_IMAGE_BYTES = 2 * 1024 * 1024
_UNKNOWN_BLOCK = re.compile(r"^:{3,}\s*(\S+)")


class _Loader:
    def __init__(self, root: Path):
        self.root = root
        self.out = Collector()
        self.locations: dict[str, SourceLocation] = {}
        self.assets: dict[str, bytes] = {}
        # Ids written in front matter (even when it fails validation), or None when it could not be read.
        self.declared: dict[str, str | None] = {}
        self.snippets: list[Snippet] = []
        self.snippet_tokens: dict[str, list[Token]] = {}  # snippet name -> its tokens (read failures: [])
        self.additions: list[Token] = []

    # ---------------------------------------------------------------- helpers
    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def locate(self, key: str, rel: str, line: int) -> None:
        self.locations.setdefault(key, SourceLocation(path=rel, line=line))

    def yaml_model(self, path: Path, model: type[BaseModel]) -> tuple[BaseModel | None, Any]:
        rel = self.rel(path)
        if not path.exists() and not path.is_symlink():
            self.out.error(rel, 0, "required file is missing", "source.missing")
            return None, None
        text = read_text(path, rel, self.out)
        if text is None:
            return None, None
        data, node = compose_yaml(text, rel, self.out)
        if node is None and data is None:
            if not self.out.items or self.out.items[-1].path != rel:
                self.out.error(rel, 1, "file is empty", "source.empty")
            return None, None
        return validate(model, data, node, rel, self.out), node

    def index_list(self, node: Any, key: str, rel: str, prefix: str, id_field: str = "id") -> None:
        """Record the line of every ``id`` in the list under ``key``."""
        if not isinstance(node, yaml.MappingNode):
            return
        for k, v in node.value:
            if k.value == key and isinstance(v, yaml.SequenceNode):
                for entry in v.value:
                    if isinstance(entry, yaml.MappingNode):
                        for ek, ev in entry.value:
                            if ek.value == id_field and isinstance(ev, yaml.ScalarNode):
                                self.locate(f"{prefix}:{ev.value}", rel, entry.start_mark.line + 1)

    # ---------------------------------------------------------------- markdown files
    def front_matter(self, path: Path) -> tuple[str, Any, Any, int, str] | None:
        rel = self.rel(path)
        self.declared[rel] = None
        text = read_text(path, rel, self.out)
        if text is None:
            return None
        lines = text.split("\n")
        if not lines or lines[0].strip() != "---":
            self.out.error(rel, 1, "missing front matter: the file must start with a '---' line",
                           "lesson.front-matter")
            return None
        try:
            end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        except StopIteration:
            self.out.error(rel, 1, "front matter is not closed by a '---' line", "lesson.front-matter")
            return None
        data, node = compose_yaml("\n".join(lines[1:end]), rel, self.out, line_offset=1)
        ident = data.get("id") if isinstance(data, dict) else None
        self.declared[rel] = ident if isinstance(ident, str) else None
        body = "\n".join(lines[end + 1:])
        return rel, data, node, end + 1, body

    def blocks(self, tokens: list[Token], rel: str, offset: int, edition_names: tuple[str, ...]) -> list[Block]:
        found: list[Block] = []
        stack: list[tuple[str, tuple[str, ...], str]] = []
        for index, token in enumerate(tokens):
            line = (token.map[0] + 1 + offset) if token.map else 0
            if token.type == "inline" and token.content.lstrip().startswith(":::"):
                match = _UNKNOWN_BLOCK.match(token.content.lstrip())
                name = match.group(1) if match else "?"
                self.out.error(rel, line, f"unknown block '{name}' (known: {', '.join(BLOCKS)})",
                               "lesson.block")
            kind = md.block_kind(token)
            if kind is None:
                continue
            if token.nesting == -1:
                if stack:
                    stack.pop()
                continue
            parent = stack[-1][1] if stack else edition_names
            delivery = stack[-1][2] if stack else ""
            self.raw_text(token.info, rel, line)  # titles are shown too
            try:
                _, bare, attrs = parse_info(token.info)
            except ValueError as exc:
                self.out.error(rel, line, str(exc), "lesson.block-attr")
                bare, attrs = [], {}
            for name in sorted(set(attrs) - _ATTRS[kind]):
                self.out.error(rel, line, f"block '{kind}': unknown attribute '{name}' "
                               f"(allowed: {', '.join(sorted(_ATTRS[kind])) or 'none'})", "lesson.block-attr")
            editions = parent
            if kind == "edition":
                bad = [w for w in bare if w not in edition_names]
                if not bare or bad:
                    self.out.error(rel, line, "block 'edition' needs edition names from "
                                   f"{', '.join(edition_names)}; got '{' '.join(bare)}'", "lesson.block-attr")
                editions = tuple(e for e in parent if e in bare)
            elif "editions" in attrs:
                listed = attrs["editions"].split(",")
                bad = [w for w in listed if w not in edition_names]
                if bad:
                    self.out.error(rel, line, f"block '{kind}': unknown edition(s) {', '.join(bad)}",
                                   "lesson.block-attr")
                editions = tuple(e for e in parent if e in listed)
            numbers: dict[str, int] = {}
            for name in ("minutes", "lines"):
                if name in attrs:
                    try:
                        numbers[name] = int(attrs[name])
                        if not 0 < numbers[name] <= 240:
                            raise ValueError
                    except ValueError:
                        self.out.error(rel, line, f"block '{kind}': {name} must be a whole number from 1 "
                                       f"to 240, got '{attrs[name]}'", "lesson.block-attr")
            if kind == "activity" and "minutes" not in attrs:
                self.out.error(rel, line, "block 'activity': 'minutes' is required", "lesson.block-attr")
            if kind == "callout" and not attrs.get("title"):
                self.out.error(rel, line, "block 'callout': 'title' is required (callout title=\"...\")",
                               "lesson.block-attr")
            if kind == "delivery":
                if bare not in (["group"], ["self"]):
                    self.out.error(rel, line, f"block 'delivery' needs 'group' or 'self'; got '{' '.join(bare)}'",
                                   "lesson.block-attr")
                elif delivery and delivery != bare[0]:
                    self.out.error(rel, line, f"block 'delivery {bare[0]}' inside 'delivery {delivery}' never "
                                   "shows", "lesson.block-attr")
                else:
                    delivery = bare[0]
            if kind in FILLED and len(tokens) > index + 1 and tokens[index + 1].nesting != -1:
                source = GETHELP if kind == "gethelp" else "lessons/facts.yaml ('added:')"
                self.out.error(rel, line, f"block '{kind}' is written empty (':::' on the next line): its text "
                               f"comes from {source}", "lesson.block")
            facts = tuple(f for f in attrs.get("facts", "").split(",") if f)
            found.append(Block(
                kind=kind, line=line, editions=editions,  # type: ignore[arg-type]
                facilitator_only=BLOCKS[kind][1] or any(BLOCKS[k][1] for k, _, _ in stack),
                title=attrs.get("title", ""), minutes=numbers.get("minutes", 0),
                lines=numbers.get("lines", 4 if kind == "reflection" else 0),
                selfstudy=attrs.get("selfstudy", "no") in ("yes", "true"), facts=facts,
                delivery=delivery,  # type: ignore[arg-type]
            ))
            stack.append((kind, editions, delivery))
        return found

    def links(self, tokens: list[Token], rel: str, offset: int) -> None:
        """Check images, links, raw HTML and script URLs in the inline text, line by line."""
        for token in tokens:
            if token.type != "inline":
                continue
            line = (token.map[0] + 1 + offset) if token.map else 0
            for child in token.children or []:
                if child.type in ("softbreak", "hardbreak"):
                    line += 1  # a paragraph spans lines; point at the one holding the problem
                elif child.type == "image":
                    self.image(str(child.attrs.get("src", "")), rel, line)
                    if not child.content.strip():
                        self.out.error(rel, line, "image needs alt text: ![what the picture shows](images/...)",
                                       "lesson.image-alt")
                elif child.type == "link_open":
                    href = str(child.attrs.get("href", ""))
                    if not href.startswith(("http://", "https://", "mailto:", "#")):
                        self.out.error(rel, line, f"link '{href}' is not allowed: use http(s), mailto or "
                                       "#anchor", "lesson.link")
                elif child.type == "text":
                    self.raw_text(child.content, rel, line)

    def image(self, src: str, rel: str, line: int) -> None:
        """An image is a PNG, JPEG, GIF or WebP file under lessons/images/; its bytes become a course asset."""
        pure = PurePosixPath(src)
        path = self.root / "lessons" / src
        if "://" in src or src.startswith(("/", "data:")) or ".." in pure.parts:
            self.out.error(rel, line, f"image '{src}' is outside the course: use a path inside lessons/",
                           "lesson.image")
        elif not path.is_file():
            self.out.error(rel, line, f"image '{src}' not found under lessons/", "lesson.image")
        elif pure.parts[0] != "images" or pure.suffix.lower() not in IMAGE_TYPES:
            # Exporters place lessons/images/ beside their own files; SVG could carry script.
            self.out.error(rel, line, f"image '{src}': put PNG, JPEG, GIF or WebP files in lessons/images/",
                           "lesson.image")
        elif path.stat().st_size > MAX_IMAGE_BYTES:
            self.out.error(rel, line, f"image '{src}' is larger than {MAX_IMAGE_BYTES // 1_048_576} MB",
                           "lesson.image")
        else:
            self.assets[pure.as_posix()] = path.read_bytes()

    def raw_text(self, text: str, rel: str, line: int) -> None:
        """Raw HTML and script URLs: markdown-it shows them as text, but they are authoring errors."""
        reported: set[str] = set()
        for match in md.RAW_TAG.finditer(text):
            tag = match.group(2).lower()
            if tag in reported or (match.group(1) and f"<{tag}" in text.lower()):
                continue  # one message per tag, and an end tag after its start tag adds nothing
            reported.add(tag)
            handler = md.EVENT_HANDLER.search(match.group(0))
            detail = f" with event handler '{handler.group(1).lower()}'" if handler else ""
            self.out.error(rel, line, f"raw HTML <{tag}>{detail} is not allowed in lessons: write Markdown "
                           "or a ::: block instead", "lesson.raw-html")
        for match in md.SCRIPT_URL.finditer(text):
            self.out.error(rel, line, f"{match.group(1).lower()}: links are not allowed", "lesson.link")

    def markdown_file(self, path: Path, meta_model: type[BaseModel], editions: tuple[str, ...]):
        parsed = self.front_matter(path)
        if parsed is None:
            return None
        rel, data, node, body_start, body = parsed
        meta = validate(meta_model, data, node, rel, self.out, line_offset=1)
        own = md.parse(body)
        blocks = self.blocks(own, rel, body_start, editions)
        self.links(own, rel, body_start)
        if meta is None:
            return None
        tokens = md.fill(own, {kind: self.filling(kind, rel, b.line) for b in blocks if (kind := b.kind) in FILLED})
        views = {}
        for ed in editions:
            # The self-paced view is what a self-study learner reads: its words give contact hours.
            text = md.plain_text(md.select(tokens, ed, False))
            views[ed] = LessonView(
                learner_html=md.render(tokens, ed, False), facilitator_html=md.render(tokens, ed, True, "all"),
                workbook_html=md.render(tokens, ed, False, "all"),
                text=text, words=len(words(text)), grade=fk_grade(text),
            )
        return rel, meta, node, blocks, views, self.prose_lines(own, body_start)

    @staticmethod
    def prose_lines(tokens: list[Token], offset: int) -> tuple[tuple[int, str], ...]:
        """Every line of prose with its source line (all editions and audiences), for line-exact lint."""
        return tuple((tok.map[0] + 1 + offset, md.plain_text([tok])) for tok in tokens
                     if tok.type == "inline" and tok.map and tok.content.strip())

    # ---------------------------------------------------------------- filled blocks
    def filling(self, kind: str, rel: str, line: int) -> list[Token]:
        """The tokens an empty ``::: gethelp`` / ``::: additions`` block expands to."""
        if kind == "additions":
            return self.additions
        name = SNIPPETS[kind]
        if name not in self.snippet_tokens:
            self.out.error(rel, line, f"block '{kind}': {SNIPPET_DIR}/{name}.md is missing (the box's text lives "
                           "there)", f"lesson.{kind}")
            self.snippet_tokens[name] = []  # one message per course, not per block
        return self.snippet_tokens[name]

    def load_snippets(self, editions: tuple[str, ...]) -> None:
        """Load every ``lessons/snippets/<name>.md`` (plain Markdown, no front matter), checked like a lesson body.

        A snippet an empty block shows (``::: gethelp``) must show learners text in every edition; any other
        snippet (the facilitator guide's own texts) must print text in every edition's guide."""
        filled_by = {name: kind for kind, name in SNIPPETS.items()}
        for path in sorted((self.root / SNIPPET_DIR).glob("*.md")):
            rel = self.rel(path)
            try:
                _SNIPPET_NAME.validate_python(path.stem)
            except ValidationError:
                self.out.error(rel, 1, "a snippet's file name is its id: lower-case letters, digits and '-', at "
                               f"most 64 (got '{path.stem}')", "snippet.name")
                continue
            text = read_text(path, rel, self.out)
            if text is None:
                self.snippet_tokens[path.stem] = []
                continue
            tokens = md.parse(text)
            for block in self.blocks(tokens, rel, 0, editions):
                if block.kind in FILLED:
                    self.out.error(rel, block.line, f"block '{block.kind}' cannot be used inside a snippet",
                                   "lesson.block")
            self.links(tokens, rel, 0)
            kind = filled_by.get(path.stem)
            for ed in editions:
                shown = md.select(tokens, ed, False) if kind else md.select(tokens, ed, True, "all")
                if not md.plain_text(shown).strip():
                    self.out.error(rel, 1, f"the text shows nothing in the {ed} edition: give every edition its "
                                   "wording (::: edition ...)", f"lesson.{kind}" if kind else "snippet.edition")
            self.snippet_tokens[path.stem] = tokens
            self.locate(f"snippet:{path.stem}", rel, 1)
            box = md.fill(md.parse(f"::: {kind}\n:::\n"), {kind: tokens}) if kind else []
            self.snippets.append(Snippet(
                name=path.stem, path=rel, text_lines=self.prose_lines(tokens, 0),
                boxes={ed: md.render(box, ed, True, "all") for ed in editions} if kind else {},
                html={ed: md.render(_unwrapped(md.select(tokens, ed, True, "all")), ed, True, "all")
                      for ed in editions},
                grades={ed: fk_grade(md.plain_text(md.select(tokens, ed, False))) for ed in editions},
            ))

    def added_tokens(self, facts: FactRegister | None) -> list[Token]:
        """The ``::: additions`` text: the fixed list of what the course adds, then the added-facts register."""
        text = "".join(f"- {a}\n" for a in ADDITIONS)
        added = facts.added if facts else []
        if added:
            text += "\nThe points the course adds, and why:\n\n"
            text += "".join(f"- {a.statement} *Basis:* {a.basis}\n" for a in added)
        return md.parse(text)

    # ---------------------------------------------------------------- the course
    def load(self) -> Course | None:
        manifest, mnode = self.yaml_model(self.root / "lessons" / "course.yaml", CourseManifest)
        self.locate("manifest", "lessons/course.yaml", 1)
        if manifest is not None:
            for i, lid in enumerate(manifest.lessons):
                self.locate(f"manifest-lesson:{lid}", "lessons/course.yaml",
                            node_line(mnode, ("lessons", i)))
            for name in manifest.editions:
                self.locate(f"edition:{name}", "lessons/course.yaml", node_line(mnode, ("editions", name)))
        editions = tuple(manifest.editions) if manifest else EDITIONS

        facts, fnode = self.yaml_model(self.root / "lessons" / "facts.yaml", FactRegister)
        self.index_list(fnode, "facts", "lessons/facts.yaml", "fact")
        # Register-wide findings (uncovered paragraphs) point at the paragraph count.
        self.locate("facts", "lessons/facts.yaml", node_line(fnode, ("paragraphs",)) or 1)
        self.index_list(fnode, "excluded", "lessons/facts.yaml", "exclusion", "paragraph")
        self.index_list(fnode, "added", "lessons/facts.yaml", "fact")
        self.locate("facts:added", "lessons/facts.yaml", node_line(fnode, ("added",)) or 1)
        self.additions = self.added_tokens(facts)  # type: ignore[arg-type]
        self.load_snippets(editions)
        retired = None
        if (self.root / "lessons" / "retired-phrases.yaml").exists():
            retired, _ = self.yaml_model(self.root / "lessons" / "retired-phrases.yaml", RetiredPhrases)
        glossary, gnode = self.yaml_model(self.root / "lessons" / "glossary.yaml", Glossary)
        self.index_list(gnode, "terms", "lessons/glossary.yaml", "term")
        # Optional: without it the item-writing lint runs with the model's default thresholds.
        lint_path = self.root / "lessons" / "item-lint.yaml"
        item_lint = None
        if lint_path.exists() or lint_path.is_symlink():
            item_lint, _ = self.yaml_model(lint_path, ItemLintRules)
            self.locate("item-lint", "lessons/item-lint.yaml", 1)

        lessons: dict[str, Lesson] = {}
        for path in sorted((self.root / "lessons").glob("*.md")):
            loaded = self.markdown_file(path, LessonMeta, editions)
            if loaded is None:
                continue
            rel, meta, node, blocks, views, lines = loaded
            if meta.id in lessons:
                self.out.error(rel, 2, f"duplicate lesson id '{meta.id}' (also in {lessons[meta.id].path})",
                               "id.duplicate")
                continue
            self.locate(f"lesson:{meta.id}", rel, 1)
            for i, obj in enumerate(meta.objectives):
                self.locate(f"objective:{obj.id}", rel, node_line(node, ("objectives", i)) + 1)
            lessons[meta.id] = Lesson(**meta.model_dump(), path=rel, blocks=tuple(blocks), views=views,
                                     text_lines=lines)

        pages: dict[str, Page] = {}
        for path in sorted((self.root / "lessons" / "pages").glob("*.md")):
            loaded = self.markdown_file(path, PageMeta, editions)
            if loaded is None:
                continue
            rel, meta, _node, blocks, views, lines = loaded
            self.locate(f"page:{meta.id}", rel, 1)
            pages[meta.id] = Page(**meta.model_dump(), path=rel, blocks=tuple(blocks), views=views,
                                  text_lines=lines)

        banks: list[QuizBank] = []
        evaluation = None
        quiz_dir = self.root / "quizzes"
        for path in sorted(quiz_dir.glob("*.yaml")) + sorted(quiz_dir.glob("*.yml")):
            rel = self.rel(path)
            if path.stem == "evaluation":
                evaluation, enode = self.yaml_model(path, Evaluation)
                self.locate("evaluation", rel, 1)
                self.index_list(enode, "questions", rel, "question")
                continue
            bank, node = self.yaml_model(path, QuizBank)
            if node is not None and isinstance(node, yaml.MappingNode):
                self.index_list(node, "items", rel, "item")
            if bank is not None:
                self.locate(f"bank:{bank.id}", rel, 1)
                self.locate(f"blueprint:{bank.id}", rel, node_line(node, ("settings", "blueprint")) or 1)
                banks.append(bank)

        if manifest is not None:
            # A lesson file that failed to load may well be the missing lesson: say nothing more then.
            unknown = any(v is None for r, v in self.declared.items() if "/pages/" not in r)
            for lid in manifest.lessons:
                if lid not in lessons and lid not in self.declared.values() and not unknown:
                    where = self.locations[f"manifest-lesson:{lid}"]
                    self.out.error(where.path, where.line, f"lessons: no lesson file has id '{lid}'",
                                   "ref.lesson")
            for lid, lesson in lessons.items():
                if lid not in manifest.lessons:
                    self.out.error(lesson.path, 2, f"id: lesson '{lid}' is not listed under 'lessons' in "
                                   "lessons/course.yaml", "ref.unlisted-lesson")
            for pid in manifest.pages:
                if pid not in pages:
                    self.out.error("lessons/course.yaml", node_line(mnode, ("pages", manifest.pages.index(pid))),
                                   f"pages: no page file has id '{pid}'", "ref.page")
        if self.out.errors() or manifest is None or facts is None or glossary is None:
            return None
        return Course(
            manifest=manifest, facts=facts, glossary=glossary,
            lessons=[lessons[lid] for lid in manifest.lessons if lid in lessons],
            pages=[pages[pid] for pid in manifest.pages if pid in pages],
            quizzes=banks, evaluation=evaluation, locations=self.locations, snippets=self.snippets,
            retired=retired.phrases if retired else [],  # type: ignore[attr-defined]
            assets=dict(sorted(self.assets.items())),
            **({"item_lint": item_lint} if item_lint is not None else {}),
        )




def _unwrapped(tokens: list[Token]) -> list[Token]:
    """The tokens without their ``::: edition`` and ``::: facilitator`` wrappers: the facilitator guide prints a
    snippet's own text under its own headings (everything in the guide is for the facilitator)."""
    return [t for t in tokens if md.block_kind(t) not in ("edition", "facilitator")]


def load_course(root: Path | str = ".") -> tuple[Course | None, Collector]:
    """Load the sources under ``root``; returns the course (None on errors) and the diagnostics."""
    loader = _Loader(Path(root).resolve())
    # Loading builds hundreds of thousands of small, acyclic objects; the cyclic collector's
    # passes over that growing heap made load time super-linear in the number of lessons.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        course = loader.load()
    finally:
        if was_enabled:
            gc.enable()
    return course, loader.out
