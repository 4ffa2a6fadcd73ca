"""CE certificates: a one-page PDF whose fields are signed (HMAC-SHA256) and embedded for verification."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course.compiled import compile_edition
from course.diagnostics import ExportError
from course.model import Course
from exporters import artifact_name
from exporters._templates import environment
from exporters.pdf import context, render

METADATA_KEY = "course-certificate"
# The PDF Info key WeasyPrint derives from the <meta> name (it keeps alphanumerics only).
INFO_KEY = "/" + "".join(c for c in METADATA_KEY if c.isalnum())
SECRET_ENV, SECRET_FILE_ENV = "COURSE_CERT_SECRET", "COURSE_CERT_SECRET_FILE"
# Documented in docs/pdf.md: signs the published SAMPLE only, so the build is deterministic and a sample
# can never verify under a provider's real secret.
DEMO_SECRET = "sample-certificate-demo-secret-not-for-real-certificates"
PAPERS = {"a4": "A4 landscape", "letter": "letter landscape"}


@dataclass(frozen=True)
class Certificate:
    """Every field printed on a certificate; all of them are covered by the verification code."""

    certificate_id: str
    participant: str
    license: str
    course_id: str
    course_title: str
    course_version: str
    edition: str
    edition_title: str
    delivery_format: str
    contact_hours: str
    completion_date: str
    score: str
    pass_mark: int
    provider_name: str
    provider_number: str
    provider_address: str
    approval_statement: str
    provider_placeholder: bool
    sample: bool

    def fields(self) -> dict[str, Any]:
        """The signed fields as a plain dict."""
        return dataclasses.asdict(self)


def canonical(fields: dict[str, Any]) -> bytes:
    """One byte string per set of fields: sorted keys, no whitespace, UTF-8."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(fields: dict[str, Any], secret: str) -> str:
    """The verification code: HMAC-SHA256 of the canonical fields, hex."""
    return hmac.new(secret.encode(), canonical(fields), hashlib.sha256).hexdigest()


def secret_from_env(secret_file: Path | None = None) -> str | None:
    """The provider secret: ``--secret-file``, else COURSE_CERT_SECRET, else COURSE_CERT_SECRET_FILE."""
    if secret_file is None and os.environ.get(SECRET_ENV):
        return os.environ[SECRET_ENV]
    if secret_file is None and os.environ.get(SECRET_FILE_ENV):
        secret_file = Path(os.environ[SECRET_FILE_ENV])
    if secret_file is None:
        return None
    try:
        value = secret_file.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ExportError(f"cannot read the certificate secret file {secret_file}: {exc.strerror}") from None
    if not value:
        raise ExportError(f"the certificate secret file {secret_file} is empty")
    return value


def _format_hours(hours: float) -> str:
    return f"{hours:g}"


def make(course: Course, *, participant: str, completion_date: dt.date, score: float, license: str = "",
         edition: str = "ce", sample: bool = False) -> Certificate:
    """Fill a certificate from the course manifest; refuses editions without certificates and failing scores."""
    if edition not in course.manifest.editions or not course.edition(edition).certificate:
        raise ExportError(f"the {edition} edition does not issue certificates")
    if not participant.strip():
        raise ExportError("the participant's name is empty")
    ed = compile_edition(course, edition)
    if not 0 <= score <= 100:
        raise ExportError(f"score {score:g} is not a percentage")
    pass_mark = ed.result_pass_mark if ed.result_pass_mark is not None else ed.settings.pass_mark
    if score < pass_mark:
        raise ExportError(f"score {score:g}% is below the pass mark ({pass_mark}%)")
    hours = ed.settings.contact_hours if ed.settings.contact_hours is not None else ed.contact.hours
    p = ed.provider
    fields = {
        "participant": participant.strip(), "license": license.strip(), "course_id": ed.course_id,
        "course_title": ed.title, "course_version": ed.version, "edition": edition, "edition_title": ed.settings.title,
        "delivery_format": ed.delivery_format, "contact_hours": _format_hours(hours),
        "completion_date": completion_date.isoformat(), "score": f"{score:g}", "pass_mark": pass_mark,
        "provider_name": p.name, "provider_number": p.number, "provider_address": p.address,
        "approval_statement": p.approval_statement,
        "provider_placeholder": p.placeholder, "sample": sample,
    }
    # The id is derived from the fields, so re-issuing the same completion gives the same id.
    digest = hashlib.sha256(canonical(fields)).hexdigest()[:12].upper()
    prefix = "SAMPLE" if sample else edition.upper()
    cert_id = f"{prefix}-{digest[:4]}-{digest[4:8]}-{digest[8:]}"
    return Certificate(certificate_id=cert_id, **fields)


def _grouped(code: str) -> str:
    return " ".join(code[i:i + 8] for i in range(0, len(code), 8))


def write(course: Course, cert: Certificate, secret: str, path: Path, *, paper: str = "a4",
          strict: bool = False) -> Path:
    """Render the one-page certificate with its fields and code embedded as PDF metadata."""
    if paper not in PAPERS:
        raise ExportError(f"unknown paper size '{paper}' (known: {', '.join(PAPERS)})")
    code = sign(cert.fields(), secret)
    record = json.dumps({"fields": cert.fields(), "code": code}, sort_keys=True, ensure_ascii=True)
    ed = compile_edition(course, cert.edition)
    html = environment("exporters.pdf", "templates").get_template("certificate.html").render(
        ed=ed, cert=cert, record=record, code_display=_grouped(code), kind="certificate",
        doc_title=f"Certificate {cert.certificate_id}",
        doc_author=context.document_author(ed, course.manifest.publisher), stylesheets=["fonts.css", "certificate.css"],
        paper=PAPERS[paper])
    rendered = render.render(html, "certificate", strict)
    if rendered.pages != 1:
        raise ExportError(f"the certificate takes {rendered.pages} pages; it must fit on one")
    return render.write(rendered, path, "certificate", course.manifest.date, strict)


def export_sample(course: Course, edition: str | None, out_dir: Path, *, strict: bool = False,
                  paper: str = "a4", **_: Any) -> Path:
    """Format ``certificate``: a SAMPLE certificate with fixed fields, signed with the demo secret."""
    edition = edition or "ce"
    ed = course.edition(edition)
    cert = make(course, participant="Sample Participant", license="SAMPLE-0000",
                completion_date=course.manifest.date, score=max(ed.pass_mark, 90), edition=edition, sample=True)
    path = out_dir / artifact_name(course, edition, "certificate", "pdf")
    return write(course, cert, DEMO_SECRET, path, paper=paper, strict=strict)


@dataclass(frozen=True)
class Verification:
    """The outcome of checking one certificate file."""

    valid: bool
    reason: str
    fields: dict[str, Any]


def read_record(path: Path) -> dict[str, Any]:
    """The embedded ``{"fields": …, "code": …}`` record of a certificate PDF."""
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - pypdf is a declared dependency of verification
        raise ExportError("verifying certificates needs the 'pypdf' package") from None
    try:
        reader = PdfReader(path)
        raw = (reader.metadata or {}).get(INFO_KEY)
        text = " ".join((page.extract_text() or "") for page in reader.pages)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is simply not a certificate
        raise ExportError(f"{path}: not a readable PDF ({exc})") from None
    if not raw:
        raise ExportError(f"{path}: no certificate record found")
    try:
        record = json.loads(str(raw))
    except json.JSONDecodeError:
        raise ExportError(f"{path}: the certificate record is damaged") from None
    record["text"] = " ".join(text.split())
    return record


def verify(path: Path, secret: str | None) -> Verification:
    """Recompute the code over the embedded fields and compare; the visible name and id must match too."""
    record = read_record(path)
    fields, code = record.get("fields"), str(record.get("code", ""))
    if not isinstance(fields, dict):
        return Verification(False, "the certificate record has no fields", {})
    if secret is None:
        if not fields.get("sample"):
            raise ExportError(f"no certificate secret: set {SECRET_ENV}, {SECRET_FILE_ENV} or --secret-file")
        secret = DEMO_SECRET
    if not hmac.compare_digest(sign(fields, secret), code):
        return Verification(False, "the verification code does not match the fields", fields)
    for key in ("participant", "certificate_id"):
        if " ".join(str(fields.get(key, "")).split()) not in record["text"]:
            return Verification(False, f"the printed {key.replace('_', ' ')} does not match the record", fields)
    return Verification(True, "sample certificate (demo secret)" if fields.get("sample") else "valid", fields)
