"""The page for an invitation link that cannot be used, shared by staff and organisation
members: it says what went wrong and whom to ask for a new link."""

from flask_babel import gettext as _

from consult.services.invitations import InvitationState
from consult.web.errors import render_error


def unusable_invitation(state: InvitationState, ask: str):
    """`ask` is the sentence naming whom to ask for a new invitation."""
    if state is InvitationState.UNKNOWN:
        return render_error(
            404,
            _("Invitation not found"),
            _(
                "There is no invitation at this address. Please check that you copied the "
                "whole link."
            )
            + " "
            + ask,
        )
    if state is InvitationState.EXPIRED:
        return render_error(
            410, _("Invitation expired"), _("This invitation link is no longer valid.") + " " + ask
        )
    return render_error(
        410,
        _("Invitation already used"),
        _(
            "This invitation link has been used already. If that was you, please sign in "
            "with your e-mail address and password."
        )
        + " "
        + ask,
    )
