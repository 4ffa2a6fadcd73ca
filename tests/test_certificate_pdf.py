"""CE certificates: every field printed and signed (Ed25519), verifiable with the public key alone."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from pdf_support.pdfcheck import FIXTURES, course, page_sizes_mm, text
from pypdf import PdfReader

from course.cli import main
from course.compiled import compile_edition
from course.diagnostics import ExportError
from exporters.pdf import certificate as cert_mod

NO_KEY_ENV = {"COURSE_CERT_KEY": "", "COURSE_CERT_KEY_FILE": ""}


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A copy of the fixture course with a freshly made key pair: the public key published beside lessons/."""
    root = tmp_path_factory.mktemp("provider")
    source = Path(shutil.copytree(FIXTURES / "pdf-two-lessons", root / "course"))
    keys = root / "keys"
    keys.mkdir()
    result = CliRunner().invoke(main, ["certificate-keygen", "--out", str(keys / "provider.pem")])
    assert result.exit_code == 0, result.output
    assert (keys / "provider.pem").stat().st_mode & 0o077 == 0  # private key readable by its owner only
    shutil.copy(keys / cert_mod.PUBLIC_KEY_FILE, source / cert_mod.PUBLIC_KEY_FILE)
    return {"source": source, "private": keys / "provider.pem", "public": keys / cert_mod.PUBLIC_KEY_FILE,
            "root": root}


def _issue(provider: dict[str, Path], out: Path, *extra: str, name: str = "Ana López") -> tuple[int, str]:
    result = CliRunner().invoke(main, [
        "certificate", "--source", str(provider["source"]), "--name", name, "--license", "LADC-4711",
        "--date", "2026-02-03", "--score", "87.5", "--format", "live", "--out", str(out), "--evaluation-received",
        "--key-file", str(provider["private"]), *extra], env=NO_KEY_ENV)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def issued(provider: dict[str, Path]) -> Path:
    """A certificate issued through the CLI, as a provider would."""
    out = provider["root"] / "cert.pdf"
    code, output = _issue(provider, out, "--register", str(provider["root"] / "register.csv"))
    assert code == 0, output
    return out


def _verify(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["verify-certificate", *args], env=NO_KEY_ENV)
    return result.exit_code, result.output


def _record(path: Path) -> dict:
    with pikepdf.open(path) as pdf:
        return json.loads(pdf.attachments[cert_mod.ATTACHMENT].get_file().read_bytes())


def _with_record(path: Path, record: dict, out: Path) -> Path:
    with pikepdf.open(path) as pdf:
        pdf.attachments[cert_mod.ATTACHMENT] = pikepdf.AttachedFileSpec(
            pdf, json.dumps(record).encode(), filename=cert_mod.ATTACHMENT)
        pdf.save(out)
    return out


def test_certificate_prints_every_field(issued: Path) -> None:
    shown = text(issued)
    m = course().manifest
    fields = _record(issued)["fields"]
    live_hours = compile_edition(course(), "ce").live_contact.hours  # the credit page's live figure
    for value in ("Ana López", "LADC-4711", m.title, "CE edition", "Live group session (facilitated)",
                  f"{live_hours:g} Continuing education contact hours", "2026-02-03", "87.5%", m.provider.name,
                  m.provider.address, m.provider.number, fields["certificate_id"], "Authorised official", "Date",
                  "keeps a record of this certificate", "for 4 years"):
        assert value in shown, value
    assert " ".join(m.provider.approval_statement.split()) in shown
    assert "PLACEHOLDER" in shown  # the fixture's provider values are placeholders
    assert fields["delivery_format"] == "Live group session (facilitated)"
    assert len(PdfReader(issued).pages) == 1
    assert page_sizes_mm(issued) == {(297, 210)}
    with pikepdf.open(issued) as pdf:  # the QR code is drawn
        assert any("/XObject" in p.obj.Resources for p in pdf.pages)


def test_certificate_verifies_with_the_public_key_alone(issued: Path, provider: dict[str, Path]) -> None:
    code, output = _verify(str(issued), "--public-key", str(provider["public"]))
    assert code == 0 and "VALID" in output, output
    code, output = _verify(str(issued), "--source", str(provider["source"]))  # provider-key.pub beside lessons/
    assert code == 0, output


def test_another_key_fails(issued: Path, tmp_path: Path) -> None:
    CliRunner().invoke(main, ["certificate-keygen", "--out", str(tmp_path / "other.pem")])
    code, output = _verify(str(issued), "--public-key", str(tmp_path / cert_mod.PUBLIC_KEY_FILE))
    assert code == 1 and "signature does not match" in output


@pytest.mark.parametrize("field,value", [("participant", "Ana Lopes"), ("score", "97.5"), ("contact_hours", "12"),
                                         ("completion_date", "2026-02-04"), ("delivery_format", "Home study "
                                                                                               "(self-paced online)")])
def test_edited_field_fails(issued: Path, provider: dict[str, Path], tmp_path: Path, field: str, value: str) -> None:
    record = _record(issued)
    record["fields"][field] = value
    forged = _with_record(issued, record, tmp_path / "forged.pdf")
    code, output = _verify(str(forged), "--public-key", str(provider["public"]))
    assert code == 1 and "INVALID" in output


def test_printed_fields_must_match_the_signed_record(issued: Path, provider: dict[str, Path], tmp_path: Path) -> None:
    # a genuine record of another participant attached to this PDF: signature fine, printed name differs
    other = tmp_path / "other.pdf"
    assert _issue(provider, other, name="Bo Berg")[0] == 0
    swapped = _with_record(issued, _record(other), tmp_path / "swapped.pdf")
    code, output = _verify(str(swapped), "--public-key", str(provider["public"]))
    assert code == 1 and "printed" in output


def test_qr_string_verifies_and_edits_fail(issued: Path, provider: dict[str, Path]) -> None:
    string = _record(issued)["verification_string"]
    assert len(string) < 300  # short enough for a small QR code
    code, output = _verify("--code", string, "--public-key", str(provider["public"]))
    assert code == 0 and "Ana López" in output, output
    for old, new in (("|87.5|", "|97.5|"), ("|2026-02-03|", "|2026-02-04|"), ("Ana López", "Ana Lopes")):
        assert _verify("--code", string.replace(old, new), "--public-key", str(provider["public"]))[0] == 1


def test_issuing_needs_the_published_key_and_a_passing_score(provider: dict[str, Path], tmp_path: Path) -> None:
    args = ["certificate", "--source", str(provider["source"]), "--name", "A B", "--date", "2026-02-03",
            "--format", "home-study", "--out", str(tmp_path / "c.pdf"), "--evaluation-received"]
    no_key = CliRunner().invoke(main, [*args, "--score", "90"], env=NO_KEY_ENV)
    assert no_key.exit_code == 1 and "signing key" in no_key.output
    CliRunner().invoke(main, ["certificate-keygen", "--out", str(tmp_path / "stray.pem")])
    stray = CliRunner().invoke(main, [*args, "--score", "90", "--key-file", str(tmp_path / "stray.pem")],
                               env=NO_KEY_ENV)
    assert stray.exit_code == 1 and "does not match" in stray.output
    failing = CliRunner().invoke(main, [*args, "--score", "50"],
                                 env={"COURSE_CERT_KEY_FILE": str(provider["private"]), "COURSE_CERT_KEY": ""})
    assert failing.exit_code == 1 and "pass mark" in failing.output
    assert not (tmp_path / "c.pdf").exists()


def test_issuing_needs_the_evaluation(provider: dict[str, Path], tmp_path: Path) -> None:
    result = CliRunner().invoke(main, [
        "certificate", "--source", str(provider["source"]), "--name", "A B", "--date", "2026-02-03",
        "--score", "90", "--format", "live", "--out", str(tmp_path / "c.pdf"), "--key-file", str(provider["private"])],
        env=NO_KEY_ENV)
    assert result.exit_code == 1 and "--evaluation-received" in result.output
    assert not (tmp_path / "c.pdf").exists()


def test_register_records_the_issued_certificate(issued: Path) -> None:
    import csv

    rows = list(csv.DictReader((issued.parent / "register.csv").open(encoding="utf-8")))
    assert len(rows) == 1
    row = rows[0]
    assert (row["participant"], row["license"], row["score"], row["file"]) == ("Ana López", "LADC-4711", "87.5",
                                                                                  "cert.pdf")
    record = _record(issued)
    assert row["certificate_id"] == record["fields"]["certificate_id"] and row["signature"] == record["signature"]
    assert row["delivery_format"] == "Live group session (facilitated)"


def test_staff_edition_issues_no_certificates() -> None:
    with pytest.raises(ExportError, match="does not issue certificates"):
        cert_mod.make(compile_edition(course(), "staff"), participant="A B", completion_date=dt.date(2026, 1, 1),
                      score=90)


def test_sample_is_deterministic_and_never_valid(tmp_path: Path, provider: dict[str, Path]) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    first = cert_mod.export_sample(compile_edition(course(), "ce"), tmp_path / "a")
    second = cert_mod.export_sample(compile_edition(course(), "ce"), tmp_path / "b", paper="letter")
    assert first.read_bytes() != second.read_bytes() and page_sizes_mm(second) == {(279, 216)}
    assert first.read_bytes() == cert_mod.export_sample(compile_edition(course(), "ce"), tmp_path / "b").read_bytes()
    assert "SAMPLE" in text(first)
    code, output = _verify(str(first), "--source", str(FIXTURES / "pdf-two-lessons"))  # no provider key
    assert code == 1 and "SAMPLE" in output  # the sample key checks out, but a sample is never valid
    assert _verify(str(first), "--public-key", str(provider["public"]))[0] == 1
    # a non-sample record signed with the published sample key does not pass either
    record = _record(first)
    record["fields"]["sample"] = False
    record["signature"] = cert_mod.sign(record["fields"], cert_mod.sample_key())
    forged = _with_record(first, record, tmp_path / "forged.pdf")
    public = tmp_path / "sample.pub"
    public.write_text(cert_mod.public_text(cert_mod.sample_key()))
    code, output = _verify(str(forged), "--public-key", str(public))
    assert code == 1 and "SAMPLE" in output
