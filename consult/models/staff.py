"""Staff accounts: the only accounts besides organisation members. Individuals never need one."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.models.account import SignInAccount, new_session_token
from consult.models.types import UTCDateTime, enum_column, utcnow


class Role(enum.StrEnum):
    ADMIN = "admin"
    MODERATOR = "moderator"

    @property
    def label(self):
        return {Role.ADMIN: _l("Administration"), Role.MODERATOR: _l("Moderation")}[self]


# The consultations a moderator is limited to (only read when limited_to_consultations is set).
staff_consultation = Table(
    "staff_consultation",
    db.metadata,
    Column("staff_user_id", ForeignKey("staff_user.id"), primary_key=True),
    Column("consultation_id", ForeignKey("consultation.id"), primary_key=True, index=True),
)


class StaffUser(SignInAccount, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    # None until the invited person has chosen a password through their one-time link.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    active: Mapped[bool] = mapped_column(default=True)
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Optional second factor: the base32 TOTP secret, and the last time step used, so that a
    # code seen over someone's shoulder cannot be replayed within its 30 seconds.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_counter: Mapped[int | None] = mapped_column(Integer)
    # A moderator may be limited to some consultations; admins always see everything.
    limited_to_consultations: Mapped[bool] = mapped_column(default=False)

    consultations: Mapped[list["Consultation"]] = relationship(  # noqa: F821
        secondary=staff_consultation, lazy="raise", order_by="Consultation.id"
    )

    is_staff = True

    @property
    def has_second_factor(self) -> bool:
        return self.totp_secret is not None

    @property
    def has_accepted_invitation(self) -> bool:
        return self.password_hash is not None


class StaffInvitation(db.Model):
    """A one-time, expiring link with which an invited person sets the password of a staff
    account the admin has already created (inactive until then)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    # Only the SHA-256 of the token is stored; the link is shown once and e-mailed.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    staff_user: Mapped[StaffUser] = relationship(foreign_keys=[staff_user_id], lazy="raise")
