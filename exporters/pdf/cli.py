"""``course certificate`` and ``course verify-certificate``: issue and check signed CE certificates."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from course.diagnostics import CourseError

PAPER = click.Choice(["a4", "letter"])
SECRET_FILE = click.option("--secret-file", type=click.Path(dir_okay=False, path_type=Path),
                           help="file holding the provider secret (else COURSE_CERT_SECRET or "
                                "COURSE_CERT_SECRET_FILE)")


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


@click.command()
@click.option("--source", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
              help="folder holding lessons/ and quizzes/")
@click.option("--name", "participant", required=True, help="participant's full name")
@click.option("--license", "license_no", default="", help="participant's licence or credential number")
@click.option("--date", "completion", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="completion date, YYYY-MM-DD")
@click.option("--score", required=True, type=float, help="post-test score in percent")
@click.option("--edition", default="ce", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="output PDF (default: by certificate id)")
@click.option("--paper", type=PAPER, default="a4", show_default=True)
@click.option("--evaluation-received", is_flag=True,
              help="confirm the participant's course evaluation was received (required where the edition has one)")
@click.option("--register", type=click.Path(dir_okay=False, path_type=Path),
              help="append the issued certificate to this CSV register (the provider's audit record)")
@SECRET_FILE
def certificate(source: Path, participant: str, license_no: str, completion: dt.datetime, score: float,
                edition: str, out: Path | None, paper: str, evaluation_received: bool, register: Path | None,
                secret_file: Path | None) -> None:
    """Write a signed one-page CE certificate PDF."""
    from course.loader import load_course
    from exporters.pdf import certificate as cert_mod

    try:
        secret = cert_mod.secret_from_env(secret_file)
        if secret is None:
            _fail(f"no certificate secret: set {cert_mod.SECRET_ENV}, {cert_mod.SECRET_FILE_ENV} or --secret-file")
        course, found = load_course(source)
        if course is None:
            _fail("the course sources do not load; run `course check`")
        if edition in course.manifest.editions and course.edition(edition).evaluation and not evaluation_received:
            _fail("the course evaluation gates the certificate: pass --evaluation-received once you have it")
        cert = cert_mod.make(course, participant=participant, completion_date=completion.date(), score=score,
                             license=license_no, edition=edition)
        path = out or Path(f"{course.id}-{edition}-certificate-{cert.certificate_id}.pdf")
        cert_mod.write(course, cert, secret, path, paper=paper)
        if register:
            _append_register(register, cert.fields(), cert_mod.sign(cert.fields(), secret), path)
    except CourseError as exc:
        _fail(str(exc))
    click.echo(f"{path}  (certificate {cert.certificate_id})")


REGISTER_COLUMNS = ("certificate_id", "participant", "license", "course_id", "course_version", "edition",
                    "contact_hours", "completion_date", "score", "pass_mark", "provider_number", "file",
                    "verification_code")


def _append_register(register: Path, fields: dict, code: str, pdf: Path) -> None:
    """One CSV row per issued certificate: what an accreditor asks to see at an audit."""
    import csv

    new = not register.exists() or register.stat().st_size == 0
    with register.open("a", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=REGISTER_COLUMNS, extrasaction="ignore")
        if new:
            writer.writeheader()
        writer.writerow({**fields, "file": pdf.name, "verification_code": code})


@click.command("verify-certificate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@SECRET_FILE
def verify_certificate(file: Path, secret_file: Path | None) -> None:
    """Check a certificate's verification code; exit 0 if valid, 1 if not."""
    from exporters.pdf import certificate as cert_mod

    try:
        result = cert_mod.verify(file, cert_mod.secret_from_env(secret_file))
    except CourseError as exc:
        _fail(str(exc))
    fields = result.fields
    if fields:
        click.echo(f"certificate {fields.get('certificate_id')}: {fields.get('participant')}, "
                   f"{fields.get('course_title')} ({fields.get('edition')}), {fields.get('contact_hours')} h, "
                   f"{fields.get('completion_date')}, score {fields.get('score')}%")
    if not result.valid:
        _fail(f"INVALID: {result.reason}")
    click.echo(f"VALID: {result.reason}")


COMMANDS = [certificate, verify_certificate]
