"""Whole blueprints that only some signed-in staff may use."""

from collections.abc import Callable

from flask import Blueprint, abort
from flask_login import current_user, login_required


def restrict_to(bp: Blueprint, permission: Callable[[object], bool]) -> None:
    """Every route of `bp` asks for a sign-in first, then answers 403 without `permission`."""

    @bp.before_request
    @login_required
    def check_permission():
        if not permission(current_user):
            abort(403)
