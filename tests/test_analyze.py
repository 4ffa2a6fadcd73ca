"""`course analyze`: planted defects are flagged, and every input format gives the same statistics."""

from __future__ import annotations

import http.server
import json
import threading
from pathlib import Path

import pytest
from analysis_support import simulate, write_moodle, write_openedx, write_scorm, write_xapi
from click.testing import CliRunner

from course.analysis import InputError, run, write
from course.analysis.stats import cronbach_alpha, pearson
from course.cli import main
from course.loader import load_course

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def course():
    loaded, _ = load_course(ROOT)
    assert loaded is not None
    return loaded


@pytest.fixture(scope="module")
def cohort(course):
    return simulate(course)


@pytest.fixture(scope="module")
def exports(cohort, tmp_path_factory):
    d = tmp_path_factory.mktemp("exports")
    return {
        "xapi": write_xapi(cohort, d / "statements.jsonl"),
        "scorm": write_scorm(cohort, d / "interactions.csv"),
        "moodle": write_moodle(cohort, d / "moodle.csv"),
        "openedx": write_openedx(cohort, d / "problem_responses.csv"),
    }


@pytest.fixture(scope="module")
def analyses(course, exports):
    return {kind: run(course, [path]) for kind, path in exports.items()}


def test_flags_exactly_the_planted_defects(analyses, cohort):
    a = analyses["xapi"]
    flagged = {i.id: i.flags for i in a.flagged}
    assert set(flagged) == {cohort.miskeyed, cohort.dead_item}, flagged
    assert any("negative discrimination" in f for f in flagged[cohort.miskeyed])
    assert flagged[cohort.dead_item] == [f"distractor {cohort.dead_option} chosen by 0.0%"]
    miskeyed = next(i for i in a.items if i.id == cohort.miskeyed)
    assert miskeyed.r is not None and miskeyed.r < 0
    # The key of a miskeyed item discriminates negatively; the option that learners who know pick, positively.
    key = next(o for o in miskeyed.options if o.key)
    best = max(miskeyed.options, key=lambda o: o.discrimination or -1)
    assert key.discrimination is not None and key.discrimination < 0 and not best.key


def test_first_attempts_only(analyses, cohort):
    a = analyses["xapi"]
    learners = len({r[0] for r in cohort.rows})
    assert {i.n for i in a.items} == {learners}
    form = next(f for f in a.forms if f.bank == cohort.bank)
    assert form.attempts == learners and sum(form.histogram) == learners
    assert form.alpha is not None and 0.7 < form.alpha < 1 and form.alpha_n == learners


def test_every_format_gives_the_same_statistics(analyses):
    def summary(kind: str) -> list[tuple]:
        return [(i.id, i.n, round(i.p, 9), round(i.r or 0, 9), [(o.id, round(o.rate, 9)) for o in i.options], i.flags)
                for i in analyses[kind].items]

    reference = summary("xapi")
    for kind in ("scorm", "moodle", "openedx"):
        assert summary(kind) == reference, kind
    assert [o.model_dump() for o in analyses["openedx"].objectives] == \
        [o.model_dump() for o in analyses["xapi"].objectives]
    # Time comes from xAPI durations and SCORM latencies; the Open edX report has none.
    times = {i.id: i.seconds for i in analyses["xapi"].items}
    assert times == {i.id: i.seconds for i in analyses["scorm"].items}
    assert all(i.seconds is None for i in analyses["openedx"].items)


def test_report_files_link_items_to_their_source(analyses, course, tmp_path):
    written = write(analyses["xapi"], tmp_path / "out", ROOT)
    html = (tmp_path / "out" / "analysis.html").read_text()
    data = json.loads((tmp_path / "out" / "analysis.json").read_text())
    assert [p.name for p in written] == ["analysis.json", "analysis.html"]
    item = data["items"][0]
    where = course.locations[f"item:{item['id']}"]
    assert item["source"] == f"{where.path}:{where.line}"
    assert f'href="../../../{where.path}"' not in html  # links are relative to the output folder
    target = (tmp_path / "out" / Path(html.split(f'<tr id="item-{item["id"]}"><td><a href="')[1].split('"')[0]))
    assert target.resolve() == (ROOT / where.path).resolve()
    assert "<svg" in html and "learner-0001" not in html and "learner-0001" not in json.dumps(data)


def test_unknown_input_is_a_clear_error(course, tmp_path):
    bad = tmp_path / "grades.csv"
    bad.write_text("name,grade\nx,1\n")
    with pytest.raises(InputError, match=r"grades.csv:1: unknown input"):
        run(course, [bad])
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"verb": {"id": "x"}}\n{not json\n')
    with pytest.raises(InputError, match=r"broken.jsonl:2: not valid JSON"):
        run(course, [broken])
    stranger = tmp_path / "stranger.csv"
    stranger.write_text("learner,attempt,interaction_id,type,response\nx,1,q9.zz-99.1,choice,a\n")
    with pytest.raises(InputError, match=r"stranger.csv:2: item 'zz-99' is not in this course"):
        run(course, [stranger])


def test_stat_helpers():
    assert pearson([0, 1, 0, 1], [1, 2, 1, 2]) == pytest.approx(1.0)
    assert pearson([1, 1, 1], [1, 2, 3]) is None
    # KR-20 of a perfect Guttman pattern over 3 items
    assert cronbach_alpha([[0, 0, 0], [1, 0, 0], [1, 1, 0], [1, 1, 1]]) == pytest.approx(0.75)


class _LRS(http.server.BaseHTTPRequestHandler):
    pages: list[dict] = []
    seen_auth: list[str] = []

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self.seen_auth.append(self.headers.get("Authorization", ""))
        n = int(self.path.split("page=")[1]) if "page=" in self.path else 0
        body = json.dumps(self.pages[n]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_cli_reads_an_lrs_and_writes_the_report(exports, tmp_path):
    lines = exports["xapi"].read_text().splitlines()
    half = len(lines) // 2
    _LRS.pages = [{"statements": [json.loads(x) for x in lines[:half]], "more": "/xapi/statements?page=1"},
                  {"statements": [json.loads(x) for x in lines[half:]], "more": ""}]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _LRS)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = CliRunner().invoke(main, [
            "analyze", "--source", str(ROOT), "--out", str(tmp_path / "a"),
            "--lrs", f"http://127.0.0.1:{server.server_port}/xapi", "--auth", "key:secret"])
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 0, result.output
    assert "2 flagged" in result.output
    assert _LRS.seen_auth == ["Basic a2V5OnNlY3JldA=="] * 2
    assert (tmp_path / "a" / "analysis.html").is_file()


def test_cli_without_inputs_is_a_usage_error():
    result = CliRunner().invoke(main, ["analyze", "--source", str(ROOT)])
    assert result.exit_code == 2 and "at least one input" in result.output
