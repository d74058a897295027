"""A form with only the CSRF token: for buttons that change something (sign out, withdraw,
forget the link, deactivate a member), so that no other site can press them."""

from flask_wtf import FlaskForm


class ConfirmForm(FlaskForm):
    pass
