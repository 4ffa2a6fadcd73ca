"""CE certificates anyone can verify: every printed field signed with the provider's Ed25519 key.

The signed record (fields + signature) is embedded in the PDF as the attachment ``certificate.json`` and
printed as a QR code of a short verification string; ``verify`` needs only the provider's public key.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course.compiled import CompiledEdition
from course.diagnostics import ExportError
from course.model import Provider
from exporters._templates import environment
from exporters.pdf import context, render

KEY_ENV, KEY_FILE_ENV = "COURSE_CERT_KEY", "COURSE_CERT_KEY_FILE"
PUBLIC_KEY_FILE = "provider-key.pub"
ATTACHMENT = "certificate.json"
CODE_PREFIX = "CK1"
PAPERS = {"a4": "A4 landscape", "letter": "letter landscape"}  # context.PAPERS turned
FORMATS = {"home-study": "Home study (self-paced online)", "live": "Live group session (facilitated)"}
# Documented in docs/pdf.md: the SAMPLE certificate of every build is signed with a key derived from this
# published seed, so the build stays deterministic. Anyone can sign with it, so nothing it signs is ever valid.
SAMPLE_SEED = hashlib.sha256(b"attachment-course-kit SAMPLE certificate key; public; never valid").digest()


@dataclass(frozen=True)
class Certificate:
    """Every field printed on a certificate; the signature covers all of them."""

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
    credit_type: str
    completion_date: str
    score: str
    pass_mark: int
    provider_name: str
    provider_number: str
    provider_details: str  # SHA-256 (16 hex) of the printed address, contact, approval statement and official
    signatory: str
    provider_placeholder: bool
    sample: bool

    def fields(self) -> dict[str, Any]:
        """The signed fields as a plain dict."""
        return dataclasses.asdict(self)


def canonical(fields: dict[str, Any]) -> bytes:
    """One byte string per set of fields: sorted keys, no whitespace, UTF-8."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --------------------------------------------------------------------------- keys


def _private_from_bytes(data: bytes, origin: str):  # noqa: ANN202 - cryptography type
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    text = data.strip()
    try:
        if text.startswith(b"-----BEGIN"):
            key = load_pem_private_key(text, password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise ValueError("not an Ed25519 key")
            return key
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(text, validate=True))
    except ValueError as exc:
        raise ExportError(f"{origin}: not an Ed25519 private key (PEM, or base64 of the 32-byte seed): {exc}") \
            from None


def private_key(key_file: Path | None = None):  # noqa: ANN201 - cryptography type
    """The provider's signing key: ``--key-file``, else COURSE_CERT_KEY, else COURSE_CERT_KEY_FILE; or None."""
    if key_file is None and os.environ.get(KEY_ENV):
        return _private_from_bytes(os.environ[KEY_ENV].encode(), KEY_ENV)
    if key_file is None and os.environ.get(KEY_FILE_ENV):
        key_file = Path(os.environ[KEY_FILE_ENV])
    if key_file is None:
        return None
    try:
        return _private_from_bytes(key_file.read_bytes(), str(key_file))
    except OSError as exc:
        raise ExportError(f"cannot read the certificate key file {key_file}: {exc.strerror}") from None


def sample_key():  # noqa: ANN201 - cryptography type
    """The published SAMPLE key (see SAMPLE_SEED)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(SAMPLE_SEED)


def public_text(key: Any) -> str:
    """The public half of a private key as course.yaml and provider-key.pub hold it."""
    return public_text_of(key.public_key())


def load_public(text: str, origin: str):  # noqa: ANN201 - cryptography type
    """Parse a public key written by ``public_text``."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text.strip(), validate=True))
    except ValueError as exc:
        raise ExportError(f"{origin}: not an Ed25519 public key (base64 of 32 bytes): {exc}") from None


def provider_public(provider: Provider | None, source: Path, key_file: Path | None = None) -> tuple[Any, str] | None:
    """The provider's public key: ``--public-key``, else course.yaml ``provider.public_key``, else
    ``provider-key.pub`` in the source folder; None when none is published."""
    if key_file is not None:
        return load_public(key_file.read_text(encoding="utf-8"), str(key_file)), str(key_file)
    if provider is not None and provider.public_key:
        return load_public(provider.public_key, "course.yaml provider.public_key"), "course.yaml"
    for path in (source / PUBLIC_KEY_FILE, source / "lessons" / PUBLIC_KEY_FILE):
        if path.is_file():
            return load_public(path.read_text(encoding="utf-8"), str(path)), str(path)
    return None


# --------------------------------------------------------------------------- issuing


def format_hours(ed: CompiledEdition, delivery: str) -> float:
    """Hours for the delivery format completed, as the CE credit page states them (course/contact.py):
    home study by the reading formula (or the declared figure), live sessions by their scheduled minutes."""
    if delivery == "home-study":
        return ed.home_study_hours if ed.home_study_hours is not None else ed.contact.hours
    assert ed.live_contact is not None
    return ed.live_contact.hours


def provider_details(ed: CompiledEdition) -> str:
    """Fingerprint of the long provider texts printed on the certificate (signed, so they cannot be edited)."""
    p = ed.provider
    text = "\n".join([p.address, p.contact, p.approval_statement, p.signatory_name, p.signatory_title,
                      str(p.records_years)])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def make(ed: CompiledEdition, *, participant: str, completion_date: dt.date, score: float, license: str = "",
         delivery: str = "home-study", sample: bool = False) -> Certificate:
    """Fill a certificate from the compiled edition; refuses editions without certificates and failing scores."""
    edition = ed.edition
    if not ed.settings.certificate:
        raise ExportError(f"the {edition} edition does not issue certificates")
    if delivery not in FORMATS:
        raise ExportError(f"unknown delivery format '{delivery}' (known: {', '.join(FORMATS)})")
    if not participant.strip():
        raise ExportError("the participant's name is empty")
    if not 0 <= score <= 100:
        raise ExportError(f"score {score:g} is not a percentage")
    pass_mark = ed.result_pass_mark
    if pass_mark is None:
        raise ExportError(f"the {edition} edition has no graded assessment, so no pass mark to certify")
    if score < pass_mark:
        raise ExportError(f"score {score:g}% is below the pass mark ({pass_mark}%)")
    p = ed.provider
    fields = {
        "participant": " ".join(participant.split()), "license": license.strip(), "course_id": ed.course_id,
        "course_title": ed.title, "course_version": ed.version, "edition": edition, "edition_title": ed.settings.title,
        "delivery_format": FORMATS[delivery], "contact_hours": f"{format_hours(ed, delivery):g}",
        "credit_type": p.credit_type, "completion_date": completion_date.isoformat(), "score": f"{score:g}",
        "pass_mark": pass_mark, "provider_name": p.name, "provider_number": p.number,
        "provider_details": provider_details(ed),
        "signatory": ", ".join(x for x in (p.signatory_name, p.signatory_title) if x),
        "provider_placeholder": p.placeholder, "sample": sample,
    }
    # The id is derived from the fields, so re-issuing the same completion gives the same id.
    digest = hashlib.sha256(canonical(fields)).hexdigest()[:12].upper()
    prefix = "SAMPLE" if sample else edition.upper()
    return Certificate(certificate_id=f"{prefix}-{digest[:4]}-{digest[4:8]}-{digest[8:]}", **fields)


def sign(fields: dict[str, Any], key: Any) -> str:
    """Ed25519 signature of the canonical fields, base64url."""
    return _b64(key.sign(canonical(fields)))


# What the QR code carries: the fields that differ between certificates, plus a fingerprint of all of them.
QR_FIELDS = ("certificate_id", "participant", "license", "course_id", "course_version", "edition", "delivery_format",
             "contact_hours", "completion_date", "score", "provider_number", "sample")


def qr_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The QR code's fields: the ones a reader compares with the paper, and ``record`` (SHA-256, 16 hex, of
    every signed field) tying them to the full record."""
    short = {key: str(fields.get(key, "")) for key in QR_FIELDS}
    short["delivery_format"] = next((k for k, v in FORMATS.items() if v == fields.get("delivery_format")), "")
    short["sample"] = "1" if fields.get("sample") else "0"
    return {**short, "record": hashlib.sha256(canonical(fields)).hexdigest()[:16]}


def _qr_message(short: dict[str, str]) -> str:
    # Only the separator and the escape character are escaped: the string stays readable as text.
    return "|".join([CODE_PREFIX, *(short[key].replace("%", "%25").replace("|", "%7C")
                                    for key in (*QR_FIELDS, "record"))])


def verification_string(fields: dict[str, Any], key: Any) -> str:
    """What the QR code holds, readable as text: ``CK1|id|name|…|record|signature`` (Ed25519 over the rest)."""
    message = _qr_message(qr_fields(fields))
    return f"{message}|{_b64(key.sign(message.encode()))}"


def _qr_svg(text: str) -> str:
    import segno

    qr = segno.make(text, error="m", micro=False)
    return qr.svg_data_uri(scale=1, border=2, omitsize=False, nl=False)


def write(ed: CompiledEdition, cert: Certificate, key: Any, path: Path, *, paper: str | None = None,
          strict: bool = False) -> Path:
    """Render the one-page certificate; the signed record is attached and printed as a QR code."""
    from weasyprint import Attachment

    paper = context.paper_of(ed, paper)
    signature = sign(cert.fields(), key)
    code = verification_string(cert.fields(), key)
    record = json.dumps({"fields": cert.fields(), "signature": signature, "algorithm": "Ed25519",
                         "verification_string": code}, sort_keys=True, ensure_ascii=False, indent=1)
    html = environment("exporters.pdf", "templates").get_template("certificate.html").render(
        ed=ed, cert=cert, qr=_qr_svg(code), kind="certificate", provider=ed.provider,
        doc_title=f"Certificate {cert.certificate_id}",
        doc_author=context.document_author(ed), stylesheets=["fonts.css", "certificate.css"],
        paper=PAPERS[paper])
    rendered = render.render(html, "certificate", strict)
    if rendered.pages != 1:
        raise ExportError(f"the certificate takes {rendered.pages} pages; it must fit on one")
    stamp = dt.datetime.combine(ed.date, dt.time(), dt.UTC)
    attachment = Attachment(string=record.encode(), name=ATTACHMENT, created=stamp, modified=stamp,
                            description="Signed certificate record (Ed25519); check with course verify-certificate")
    return render.write(rendered, path, "certificate", ed.date, strict, attachments=[attachment])


def export_sample(ed: CompiledEdition, out_dir: Path, *, strict: bool = False, paper: str | None = None,
                  **_: Any) -> Path:
    """Format ``certificate``: a SAMPLE certificate with fixed fields, signed with the published sample key."""
    # A passing sample score under any pass mark the course sets (a mark above 90 used to fail the build).
    cert = make(ed, participant="Sample Participant", license="SAMPLE-0000", completion_date=ed.date,
                score=max(ed.result_pass_mark or 0, 90), sample=True)
    return write(ed, cert, sample_key(), out_dir / ed.artifact("certificate", "pdf"), paper=paper, strict=strict)


# --------------------------------------------------------------------------- verifying


@dataclass(frozen=True)
class Verification:
    """The outcome of checking one certificate."""

    valid: bool
    reason: str
    fields: dict[str, Any]


def read_record(path: Path) -> dict[str, Any]:
    """The attached ``{"fields": …, "signature": …}`` record of a certificate PDF, plus its printed text."""
    import pikepdf
    from pypdf import PdfReader

    try:
        with pikepdf.open(path) as pdf:
            files = pdf.attachments
            raw = files[ATTACHMENT].get_file().read_bytes() if ATTACHMENT in files else None
        text = " ".join((page.extract_text() or "") for page in PdfReader(path).pages)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is simply not a certificate
        raise ExportError(f"{path}: not a readable PDF ({exc})") from None
    if raw is None:
        raise ExportError(f"{path}: no signed certificate record ({ATTACHMENT}) found")
    try:
        record = json.loads(raw)
    except json.JSONDecodeError:
        raise ExportError(f"{path}: the certificate record is damaged") from None
    record["text"] = " ".join(text.split())
    return record


def _check(fields: Any, signature: str, public: tuple[Any, str] | None, message: bytes | None = None) -> Verification:
    """The signature over ``message`` (default: the canonical ``fields``) under the provider's key; samples never
    pass."""
    from cryptography.exceptions import InvalidSignature

    if not isinstance(fields, dict):
        return Verification(False, "the record has no fields", {})
    sample_public = sample_key().public_key()
    is_sample = bool(fields.get("sample")) or str(fields.get("certificate_id", "")).startswith("SAMPLE")
    if public is None:
        if not is_sample:
            raise ExportError(f"no provider public key: set provider.public_key in course.yaml, put "
                              f"{PUBLIC_KEY_FILE} beside lessons/, or pass --public-key")
        public = (sample_public, "the published sample key")
    key, origin = public
    try:
        key.verify(_unb64(signature), canonical(fields) if message is None else message)
    except (InvalidSignature, ValueError):
        return Verification(False, f"the signature does not match the fields under {origin}", fields)
    if is_sample or public_text_of(key) == public_text_of(sample_public):
        return Verification(False, "SAMPLE: signed with the published sample key; a sample is never a valid "
                                   "certificate", fields)
    return Verification(True, f"signature checks out under {origin}", fields)


def public_text_of(key: Any) -> str:
    """A public key as course.yaml and provider-key.pub hold it: base64 of the raw 32 bytes."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return base64.b64encode(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


PRINTED = ("certificate_id", "participant", "license", "course_title", "course_version", "edition_title",
           "delivery_format", "contact_hours", "credit_type", "completion_date", "score", "provider_name",
           "provider_number")


def verify(path: Path, public: tuple[Any, str] | None) -> Verification:
    """Check the attached record's signature, then that the printed fields say what was signed."""
    record = read_record(path)
    result = _check(record.get("fields"), str(record.get("signature", "")), public)
    if not result.fields or (not result.valid and not result.reason.startswith("SAMPLE")):
        return result
    for key in PRINTED:
        value = " ".join(str(result.fields.get(key, "")).split())
        if value and value not in record["text"]:
            return Verification(False, f"the printed {key.replace('_', ' ')} does not match the signed record",
                                result.fields)
    return result


def verify_string(code: str, public: tuple[Any, str] | None) -> Verification:
    """Check a scanned verification string (the QR code) offline."""
    parts = code.strip().split("|")
    names = (*QR_FIELDS, "record")
    if len(parts) != len(names) + 2 or parts[0] != CODE_PREFIX:
        return Verification(False, f"not a certificate verification string (expected {CODE_PREFIX}|…)", {})
    short = {key: value.replace("%7C", "|").replace("%25", "%") for key, value in zip(names, parts[1:-1], strict=True)}
    fields = {**short, "sample": short["sample"] == "1"}
    message = "|".join(parts[:-1]).encode()
    return _check(fields, parts[-1], public, message)
