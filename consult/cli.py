"""`flask consult ...` commands."""

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


def init_app(app: Flask) -> None:
    app.cli.add_command(consult_group)
