"""Staff accounts: the only accounts besides organisation members. Individuals never need one."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db
from consult.models.account import SignInAccount, new_session_token
from consult.models.types import UTCDateTime, enum_column, utcnow


class Role(enum.StrEnum):
    ADMIN = "admin"
    MODERATOR = "moderator"

    @property
    def label(self):
        return {Role.ADMIN: _l("Administration"), Role.MODERATOR: _l("Moderation")}[self]


class StaffUser(SignInAccount, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    active: Mapped[bool] = mapped_column(default=True)
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    is_staff = True
