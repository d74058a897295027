"""`flask consult ...` commands."""

from pathlib import Path

import click
from flask import Flask
from sqlalchemy import func, select

from consult.extensions import db


@click.group("consult", help="Manage consult: demo data, staff accounts.")
def consult_group():
    pass


@consult_group.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when a consultation already exists.")
def demo_command(if_empty: bool):
    """Load the demo consultation and the demo staff accounts."""
    from consult.demo.loader import DEMO_STAFF, load_demo
    from consult.models import Consultation
    from consult.models.types import utcnow

    if if_empty and db.session.scalar(select(func.count()).select_from(Consultation)):
        click.echo("Database already holds a consultation; demo not loaded.")
        return
    consultation = load_demo(utcnow())
    db.session.commit()
    click.echo(f"Loaded demo consultation “{consultation.title}”.")
    for account in DEMO_STAFF:
        click.echo(f"  {account.role.value:<10} {account.email}  password: {account.password}")


@consult_group.command("create-staff")
@click.argument("email")
@click.option("--name", "display_name", required=True, help="Name shown to colleagues.")
@click.option("--role", type=click.Choice(["moderator", "admin"]), default="moderator")
@click.password_option(help="At least 12 characters.")
def create_staff_command(email: str, display_name: str, role: str, password: str):
    """Create a staff account (moderator or admin)."""
    from consult.models import Role
    from consult.services.errors import ServiceError
    from consult.services.staff import create_staff

    try:
        create_staff(email, display_name, password, Role(role))
    except ServiceError as error:
        raise click.ClickException(
            {
                "WeakPassword": "The password needs at least 12 characters.",
                "DuplicateStaff": "An account with this e-mail address exists already.",
            }.get(type(error).__name__, "Could not create the account.")
        ) from error
    db.session.commit()
    click.echo(f"Created {role} account {email}.")


@consult_group.command("invite-staff")
@click.argument("email")
@click.option("--name", "display_name", required=True, help="Name shown to colleagues.")
@click.option("--role", type=click.Choice(["moderator", "admin"]), default="moderator")
@click.option(
    "--consultation",
    "slugs",
    multiple=True,
    metavar="SLUG",
    help="Limit a moderator to this consultation (repeat for several).",
)
@click.option("--lang", default=None, help="Language of the page the link opens.")
def invite_staff_command(
    email: str, display_name: str, role: str, slugs: tuple[str, ...], lang: str | None
):
    """Invite a colleague and print the one-time link (no e-mail is sent)."""
    from email_validator import EmailNotValidError, validate_email
    from flask import current_app

    from consult.models import Role
    from consult.models.types import utcnow
    from consult.services import staff
    from consult.web.mail import public_url

    lang = lang or current_app.config["LANGUAGES"][0]
    if lang not in current_app.config["LANGUAGES"]:
        raise click.ClickException(
            f"--lang must be one of {', '.join(current_app.config['LANGUAGES'])}."
        )
    if slugs and role == "admin":
        raise click.ClickException("Administrators always see every consultation.")
    try:
        validate_email(email, check_deliverability=False)
        consultations = staff.consultations_by_slug(list(slugs)) if slugs else []
        new = staff.invite_staff(
            email,
            display_name=display_name,
            role=Role(role),
            limited=bool(slugs),
            consultation_ids=[c.id for c in consultations],
            actor=None,
            now=utcnow(),
            valid_days=current_app.config["CONSULT_INVITATION_DAYS"],
        )
    except EmailNotValidError as error:
        raise click.ClickException(f"Not a valid e-mail address: {error}") from error
    except staff.UnknownConsultation as error:
        raise click.ClickException("No consultation with one of these slugs.") from error
    except staff.DuplicateStaff as error:
        raise click.ClickException("A staff account with this address exists already.") from error
    db.session.commit()
    # url_for needs a request; the link itself is built from CONSULT_PUBLIC_URL as in the web.
    with current_app.test_request_context():
        link = public_url("auth.join", token=new.token, lang=lang)
    user = new.invitation.staff_user
    expires = f"{new.invitation.expires_at:%Y-%m-%d %H:%M} UTC"
    scope = ", ".join(c.title for c in consultations) or "all consultations"
    click.echo(f"Invited {user.email} as {role} ({scope}), valid until {expires}.")
    if new.reinvited:
        click.echo("Earlier links for this address no longer work.")
    click.echo("Pass this link on securely; it is shown only now:")
    click.echo(link)


def _organisation_groups() -> list[str]:
    from consult.services.organisations import ORGANISATION_GROUPS

    return [group.value for group in ORGANISATION_GROUPS]


@consult_group.command("create-organisation")
@click.argument("name")
@click.option("--group", type=click.Choice(_organisation_groups()), required=True)
@click.option("--description", default="", help="Short description shown to the public.")
@click.option("--verified", is_flag=True, help="Mark as verified by the administration.")
def create_organisation_command(name: str, group: str, description: str, verified: bool):
    """Register an organisation that takes part as such."""
    from consult.models import StakeholderGroup
    from consult.models.types import utcnow
    from consult.services import organisations

    try:
        organisation = organisations.create_organisation(
            name=name,
            group=StakeholderGroup(group),
            description=description,
            verified=verified,
            actor=None,
            now=utcnow(),
        )
    except organisations.DuplicateOrganisation as error:
        raise click.ClickException("An organisation with this name exists already.") from error
    db.session.commit()
    click.echo(f"Registered {organisation.name} (slug: {organisation.slug}).")


@consult_group.command("invite-member")
@click.argument("organisation_slug")
@click.argument("email")
@click.option("--lang", default=None, help="Language of the join page (default: the first one).")
def invite_member_command(organisation_slug: str, email: str, lang: str | None):
    """Create a one-time invitation link for a new member and print it (no e-mail is sent)."""
    from email_validator import EmailNotValidError, validate_email
    from flask import current_app

    from consult.models.types import utcnow
    from consult.services import organisations
    from consult.web.mail import public_url

    lang = lang or current_app.config["LANGUAGES"][0]
    if lang not in current_app.config["LANGUAGES"]:
        raise click.ClickException(
            f"--lang must be one of {', '.join(current_app.config['LANGUAGES'])}."
        )
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise click.ClickException(f"Not a valid e-mail address: {error}") from error
    organisation = organisations.organisation_by_slug(organisation_slug)
    if organisation is None:
        raise click.ClickException(f"No organisation with the slug {organisation_slug!r}.")
    try:
        invitation, token = organisations.invite_member(
            organisation,
            email,
            actor=None,
            now=utcnow(),
            valid_days=current_app.config["CONSULT_INVITATION_DAYS"],
        )
    except organisations.DuplicateMember as error:
        raise click.ClickException("An account with this e-mail address exists already.") from error
    db.session.commit()
    # url_for needs a request; the link itself is built from CONSULT_PUBLIC_URL as in the web.
    with current_app.test_request_context():
        link = public_url("members.join", token=token, lang=lang)
    expires = f"{invitation.expires_at:%Y-%m-%d %H:%M} UTC"
    click.echo(f"Invitation for {invitation.email} to {organisation.name}, valid until {expires}.")
    click.echo("Pass this link on securely; it is shown only now:")
    click.echo(link)


def init_app(app: Flask) -> None:
    app.cli.add_command(consult_group)


@consult_group.command("import-document")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--consultation", "slug", required=True, metavar="SLUG", help="The draft to fill.")
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["auto", "docx", "markdown", "text"]),
    default="auto",
    help="How to read the file (default: by its extension and content).",
)
@click.option("--replace", is_flag=True, help="Replace the chapters and paragraphs it has.")
@click.option("--create", is_flag=True, help="Create a new draft consultation with this slug.")
@click.option("--title", default=None, help="Title of the consultation --create makes.")
def import_document_command(
    file: str, slug: str, file_format: str, replace: bool, create: bool, title: str | None
):
    """Import a draft from a Word document (.docx), Markdown or a text file."""
    from flask import current_app
    from flask_babel import force_locale

    from consult.forms.drafts import problem_message
    from consult.models import Consultation
    from consult.models.types import utcnow
    from consult.services import drafts, imports

    now = utcnow()
    try:
        with open(file, "rb") as stream:
            data = imports.read_limited(stream, current_app.config["CONSULT_IMPORT_MAX_BYTES"])
        chosen = imports.detect_format(file, data) if file_format == "auto" else file_format
        imported = imports.parse_bytes(data, chosen)
    except imports.DocumentProblem as problem:
        # The same words as the web form, in English like the rest of the command line.
        with force_locale("en"):
            raise click.ClickException(str(problem_message(problem))) from problem
    if create:
        if not title:
            raise click.ClickException("--create needs --title.")
        try:
            consultation = drafts.create_draft(slug, title, actor=None, now=now)
        except drafts.InvalidSlug as error:
            raise click.ClickException(
                "A slug has lowercase letters, digits and single hyphens (at most 80)."
            ) from error
        except drafts.SlugTaken as error:
            raise click.ClickException(f"A consultation with the slug {slug} exists.") from error
    else:
        consultation = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
        if consultation is None:
            raise click.ClickException(f"No consultation with the slug {slug!r}.")
        existing = drafts.paragraph_count(consultation.id)
        if existing and not replace:
            raise click.ClickException(
                f"{slug} already has {existing} paragraphs; add --replace to replace them."
            )
    try:
        result = drafts.replace_content(consultation, imported, actor=None, now=now)
    except drafts.DraftLocked as error:
        message = (
            "The consultation is no longer a draft; changes after publication are a revision."
            if error.reason == drafts.PUBLISHED
            else "The draft already has comments, so its structure can no longer change."
        )
        raise click.ClickException(message) from error
    db.session.commit()
    click.echo(
        f"Imported {result.chapters} chapters and {result.paragraphs} paragraphs into {slug}."
    )


@consult_group.command("i18n-check")
@click.option("--verbose", "-v", is_flag=True, help="List the missing and fuzzy messages.")
@click.option(
    "--directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The translations folder (default: the one the app reads).",
)
def i18n_check_command(verbose: bool, directory: Path | None):
    """Show how complete each language's catalog is; fail if an offered one is not."""
    from flask import current_app
    from flask_babel import get_babel

    from consult.i18n import LANGUAGES
    from consult.i18n_check import check_catalogs, summary_line

    directory = directory or Path(get_babel().translation_directories[0])
    enabled = current_app.config["LANGUAGES"]
    incomplete = []
    for state in check_catalogs(directory, list(LANGUAGES)):
        offered = "offered" if state.code in enabled else "not offered"
        click.echo(f"{state.code}  {offered:<11}  {summary_line(state)}")
        if state.code in enabled and not state.complete:
            incomplete.append(state.code)
        if state.plural_problem:
            click.echo(f"    plural forms: {state.plural_problem}")
        for error in state.compile_errors:
            click.echo(f"    error: {error}")
        if verbose:
            for msgid in state.missing:
                click.echo(f"    missing: {msgid}")
            for msgid in state.fuzzy:
                click.echo(f"    fuzzy: {msgid}")
    if incomplete:
        click.echo(f"Incomplete offered languages: {', '.join(incomplete)}", err=True)
        raise SystemExit(1)
