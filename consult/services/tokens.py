"""Secret link tokens: random, long, and stored only as a hash.

The tokens carry 192 bits of randomness, so a plain SHA-256 (no salt, no slow hash) is enough:
nobody can guess one, and the hash lets the database find a token in one indexed lookup.
"""

import hashlib
import secrets

TOKEN_BYTES = 24


def new_token() -> tuple[str, str]:
    """A fresh token and its hash: hand out the first, store the second."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
