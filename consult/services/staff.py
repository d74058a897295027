"""Staff accounts: creation and password sign-in with argon2id."""

from sqlalchemy import func, select

from consult.extensions import db
from consult.models import Role, StaffUser
from consult.models.staff import new_session_token
from consult.services import audit, passwords
from consult.services.errors import ServiceError


class DuplicateStaff(ServiceError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_staff(email: str, display_name: str, password: str, role: Role, actor=None) -> StaffUser:
    email = normalise_email(email)
    password_hash = passwords.hash_password(password)
    if db.session.scalar(select(func.count()).where(StaffUser.email == email)):
        raise DuplicateStaff()
    user = StaffUser(
        email=email,
        display_name=display_name.strip(),
        password_hash=password_hash,
        role=role,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "staff.create", user, {"role": role.value})
    return user


def authenticate(email: str, password: str) -> StaffUser | None:
    user = db.session.scalars(
        select(StaffUser).where(StaffUser.email == normalise_email(email))
    ).one_or_none()
    if not passwords.verify(user, password) or not user.active:
        return None
    return user


def by_session_token(token: str) -> StaffUser | None:
    return db.session.scalars(
        select(StaffUser).where(StaffUser.session_token == token)
    ).one_or_none()


def end_all_sessions(user: StaffUser) -> None:
    """Server-side sign-out: the old token in any cookie no longer loads the user."""
    user.session_token = new_session_token()
    db.session.flush()
