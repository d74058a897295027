"""Password hashing with argon2id, shared by staff and organisation members."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from consult.services.errors import ServiceError

_hasher = PasswordHasher()
# Verifying against this when the address is unknown keeps sign-in time independent of whether
# an account exists.
_DUMMY_HASH = _hasher.hash("consult-no-such-account")

MIN_PASSWORD_LENGTH = 12


class WeakPassword(ServiceError):
    pass


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword()
    return _hasher.hash(password)


def verify(account, password: str) -> bool:
    """True when `account` (anything with a password_hash, or None) matches the password;
    upgrades the stored hash when argon2's parameters have changed."""
    try:
        _hasher.verify(account.password_hash if account else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    if account is None:
        return False
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
    return True
