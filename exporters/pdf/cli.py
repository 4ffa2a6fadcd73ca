"""``course certificate``, ``course verify-certificate`` and ``course certificate-keygen``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from course.diagnostics import CourseError

PAPER = click.Choice(["a4", "letter"])
SOURCE = click.option("--source", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
                      show_default=True, help="folder holding lessons/ and quizzes/")


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


@click.command()
@SOURCE
@click.option("--name", "participant", required=True, help="participant's full name")
@click.option("--license", "license_no", default="", help="participant's licence or credential number")
@click.option("--date", "completion", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="completion date, YYYY-MM-DD")
@click.option("--score", required=True, type=float, help="post-test score in percent")
@click.option("--format", "delivery", type=click.Choice(["home-study", "live"]), required=True,
              help="the one delivery format the participant completed (sets the hours printed)")
@click.option("--edition", default="ce", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="output PDF (default: by certificate id)")
@click.option("--paper", type=PAPER, default=None, help="paper size (default: `paper` in course.yaml)")
@click.option("--evaluation-received", is_flag=True,
              help="confirm the participant's course evaluation was received (required where the edition has one)")
@click.option("--register", type=click.Path(dir_okay=False, path_type=Path),
              help="append the issued certificate to this CSV register (the provider's audit record)")
@click.option("--key-file", type=click.Path(dir_okay=False, path_type=Path),
              help="the provider's Ed25519 private key (else COURSE_CERT_KEY or COURSE_CERT_KEY_FILE)")
def certificate(source: Path, participant: str, license_no: str, completion: dt.datetime, score: float,
                delivery: str, edition: str, out: Path | None, paper: str | None, evaluation_received: bool,
                register: Path | None, key_file: Path | None) -> None:
    """Write a signed one-page CE certificate PDF."""
    from course.compiled import compile_edition
    from course.loader import load_course
    from exporters.pdf import certificate as cert_mod

    try:
        key = cert_mod.private_key(key_file)
        if key is None:
            _fail(f"no signing key: set {cert_mod.KEY_ENV}, {cert_mod.KEY_FILE_ENV} or --key-file "
                  "(make one with `course certificate-keygen`)")
        course, _ = load_course(source)
        if course is None:
            _fail("the course sources do not load; run `course check`")
        published = cert_mod.provider_public(course.manifest.provider, source)
        if published is None or cert_mod.public_text_of(published[0]) != cert_mod.public_text(key):
            _fail("the signing key does not match the provider's published public key (provider.public_key in "
                  f"course.yaml or {cert_mod.PUBLIC_KEY_FILE}); certificates signed with it could not be verified")
        if edition not in course.manifest.editions:
            _fail(f"unknown edition '{edition}' (known: {', '.join(course.manifest.editions)})")
        ed = compile_edition(course, edition)
        if ed.evaluation and not evaluation_received:
            _fail("the course evaluation gates the certificate: pass --evaluation-received once you have it")
        cert = cert_mod.make(ed, participant=participant, completion_date=completion.date(), score=score,
                             license=license_no, delivery=delivery)
        path = out or Path(f"{ed.course_id}-{edition}-certificate-{cert.certificate_id}.pdf")
        cert_mod.write(ed, cert, key, path, paper=paper)
        if register:
            _append_register(register, cert.fields(), cert_mod.sign(cert.fields(), key), path)
    except CourseError as exc:
        _fail(str(exc))
    click.echo(f"{path}  (certificate {cert.certificate_id})")


REGISTER_COLUMNS = ("certificate_id", "participant", "license", "course_id", "course_version", "edition",
                    "delivery_format", "contact_hours", "completion_date", "score", "pass_mark", "provider_number",
                    "file", "signature")


def _append_register(register: Path, fields: dict, signature: str, pdf: Path) -> None:
    """One CSV row per issued certificate: what an accreditor asks to see at an audit (each row re-verifiable)."""
    import csv

    new = not register.exists() or register.stat().st_size == 0
    with register.open("a", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=REGISTER_COLUMNS, extrasaction="ignore")
        if new:
            writer.writeheader()
        writer.writerow({**fields, "file": pdf.name, "signature": signature})


@click.command("verify-certificate")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--code", help="the verification string read from the certificate's QR code (instead of FILE)")
@click.option("--public-key", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="the provider's public key file (else provider.public_key in course.yaml or provider-key.pub)")
@SOURCE
def verify_certificate(file: Path | None, code: str | None, public_key: Path | None, source: Path) -> None:
    """Check a certificate PDF (or its QR string) with the provider's public key; exit 0 if valid, 1 if not."""
    from course.loader import load_course
    from exporters.pdf import certificate as cert_mod

    if (file is None) == (code is None):
        _fail("give a certificate FILE or --code STRING")
    try:
        course = None
        if public_key is None and (source / "lessons" / "course.yaml").is_file():
            course, _ = load_course(source)
        public = cert_mod.provider_public(course.manifest.provider if course else None, source, public_key)
        result = cert_mod.verify(file, public) if file else cert_mod.verify_string(code or "", public)
    except CourseError as exc:
        _fail(str(exc))
    fields = result.fields
    if fields:
        click.echo(f"certificate {fields.get('certificate_id')}: {fields.get('participant')}, "
                   f"{fields.get('course_title') or fields.get('course_id')} ({fields.get('edition')}), "
                   f"{fields.get('delivery_format')}, "
                   f"{fields.get('contact_hours')} h, {fields.get('completion_date')}, score {fields.get('score')}%")
    if not result.valid:
        _fail(f"INVALID: {result.reason}")
    click.echo(f"VALID: {result.reason}")


@click.command("certificate-keygen")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="where to write the PRIVATE key (PEM, mode 0600); the public key goes to provider-key.pub beside it")
def certificate_keygen(out: Path) -> None:
    """Make a provider key pair: keep the private key secret, publish the public one."""
    import os

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    from exporters.pdf import certificate as cert_mod

    if out.exists():
        _fail(f"{out} exists; refusing to overwrite a key")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    public = out.with_name(cert_mod.PUBLIC_KEY_FILE)
    public.write_text(cert_mod.public_text(key) + "\n", encoding="utf-8")
    click.echo(f"private key: {out} (keep it secret, never commit it)\npublic key:  {public}\n"
               f"or in lessons/course.yaml under provider:  public_key: {cert_mod.public_text(key)}")



