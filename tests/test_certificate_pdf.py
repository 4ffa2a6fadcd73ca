"""CE certificates: every field printed and embedded, signed, verified, and rejected when altered."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pdf_support.pdfcheck import course, page_sizes_mm, text
from pypdf import PdfReader, PdfWriter

from course.cli import main
from course.diagnostics import ExportError
from exporters.pdf import certificate as cert_mod

SECRET = "test-provider-secret"


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A certificate issued through the CLI, as a provider would."""
    out = tmp_path_factory.mktemp("cert") / "cert.pdf"
    result = CliRunner().invoke(main, [
        "certificate", "--source", str(_source()), "--name", "Ana López",
        "--license", "LADC-4711", "--date", "2026-02-03", "--score", "87.5", "--out", str(out),
        "--evaluation-received", "--register", str(out.with_name("register.csv"))],
        env={"COURSE_CERT_SECRET": SECRET, "COURSE_CERT_SECRET_FILE": ""})
    assert result.exit_code == 0, result.output
    return out


def _source() -> Path:
    from pdf_support.pdfcheck import FIXTURES

    return FIXTURES / "pdf-two-lessons"


def _verify(path: Path, secret: str | None = SECRET) -> tuple[int, str]:
    env = {"COURSE_CERT_SECRET": secret or "", "COURSE_CERT_SECRET_FILE": ""}
    result = CliRunner().invoke(main, ["verify-certificate", str(path)], env=env)
    return result.exit_code, result.output


def test_certificate_prints_every_field(issued: Path) -> None:
    shown = text(issued)
    m = course().manifest
    record = cert_mod.read_record(issued)["fields"]
    for value in ("Ana López", "LADC-4711", m.title, "CE edition", "0.25", "2026-02-03", "87.5%", m.provider.name,
                  m.provider.address,
                  m.provider.number, record["certificate_id"]):
        assert value in shown, value
    assert " ".join(m.provider.approval_statement.split()) in shown
    assert "PLACEHOLDER" in shown  # the fixture's provider values are placeholders
    assert len(PdfReader(issued).pages) == 1
    assert page_sizes_mm(issued) == {(297, 210)}


def test_certificate_verifies(issued: Path) -> None:
    code, output = _verify(issued)
    assert code == 0, output
    assert "VALID" in output


def test_wrong_secret_fails(issued: Path) -> None:
    assert _verify(issued, "another-secret")[0] == 1


def test_secret_file_option(issued: Path, tmp_path: Path) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text(SECRET + "\n")
    result = CliRunner().invoke(main, ["verify-certificate", str(issued), "--secret-file", str(secret_file)],
                                env={"COURSE_CERT_SECRET": ""})
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("field,value", [("participant", "Ana Lopes"), ("score", "97.5"),
                                         ("contact_hours", "12"), ("completion_date", "2026-02-04")])
def test_altered_field_fails(issued: Path, tmp_path: Path, field: str, value: str) -> None:
    reader = PdfReader(issued)
    record = json.loads(reader.metadata[cert_mod.INFO_KEY])
    record["fields"][field] = value
    writer = PdfWriter(clone_from=reader)
    writer.add_metadata({cert_mod.INFO_KEY: json.dumps(record)})
    forged = tmp_path / "forged.pdf"
    writer.write(forged)
    code, output = _verify(forged)
    assert code == 1 and "INVALID" in output


def test_issuing_needs_a_secret_and_a_passing_score(tmp_path: Path) -> None:
    args = ["certificate", "--source", str(_source()), "--name", "A B", "--date", "2026-02-03",
            "--out", str(tmp_path / "c.pdf"), "--evaluation-received"]
    no_secret = CliRunner().invoke(main, [*args, "--score", "90"], env={"COURSE_CERT_SECRET": ""})
    assert no_secret.exit_code == 1 and "secret" in no_secret.output
    failing = CliRunner().invoke(main, [*args, "--score", "50"], env={"COURSE_CERT_SECRET": SECRET})
    assert failing.exit_code == 1 and "pass mark" in failing.output
    assert not (tmp_path / "c.pdf").exists()


def test_issuing_needs_the_evaluation(tmp_path: Path) -> None:
    args = ["certificate", "--source", str(_source()), "--name", "A B", "--date", "2026-02-03", "--score", "90",
            "--out", str(tmp_path / "c.pdf")]
    result = CliRunner().invoke(main, args, env={"COURSE_CERT_SECRET": SECRET})
    assert result.exit_code == 1 and "--evaluation-received" in result.output
    assert not (tmp_path / "c.pdf").exists()


def test_register_records_the_issued_certificate(issued: Path) -> None:
    import csv

    rows = list(csv.DictReader((issued.parent / "register.csv").open(encoding="utf-8")))
    assert len(rows) == 1
    row = rows[0]
    assert (row["participant"], row["license"], row["score"], row["file"]) == ("Ana López", "LADC-4711", "87.5",
                                                                                  "cert.pdf")
    fields = cert_mod.verify(issued, SECRET).fields
    assert row["certificate_id"] == fields["certificate_id"] and len(row["verification_code"]) == 64


def test_staff_edition_issues_no_certificates() -> None:
    with pytest.raises(ExportError, match="does not issue certificates"):
        cert_mod.make(course(), participant="A B", completion_date=dt.date(2026, 1, 1), score=90, edition="staff")


def test_sample_is_marked_deterministic_and_demo_signed(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    first = cert_mod.export_sample(course(), "ce", tmp_path / "a")
    second = cert_mod.export_sample(course(), "ce", tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    assert "SAMPLE" in text(first)
    assert _verify(first, None)[0] == 0  # no secret configured: the documented demo secret applies
    assert _verify(first, SECRET)[0] == 1  # a sample never verifies under a real provider secret
