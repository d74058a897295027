"""Time-based one-time codes (RFC 6238) for the staff's optional second factor.

Authenticator apps show a new 6-digit code every 30 seconds. A code is accepted for its own
time step and one step either side (phone clocks drift), and only when its step is newer than
the last one used: a code read over someone's shoulder cannot be used a second time.
"""

import base64
import hashlib
import hmac
import re
from datetime import datetime

import pyotp
import segno

# Steps either side of the current one that still count; one step is 30 seconds.
TOLERANCE_STEPS = 1
_CODE = re.compile(r"[0-9]{6}")


def setup_secret(key: str | bytes, account_id: int, nonce: str) -> str:
    """The secret offered while someone sets up the second factor, derived from the app's
    secret key and a random nonce. The session cookie (readable by its holder, only signed)
    then carries the nonce, never the secret: reloading the page shows the same QR code, and
    a copy of the cookie does not reveal the secret to anyone who lacks the server's key."""
    if isinstance(key, str):
        key = key.encode("utf-8")
    digest = hmac.new(key, f"totp-setup:{account_id}:{nonce}".encode(), hashlib.sha256).digest()
    # 160 bits, the length RFC 4226 recommends; base32 as authenticator apps expect it.
    return base64.b32encode(digest[:20]).decode("ascii")


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(secret: str, account_name: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account_name, issuer_name=issuer)


def qr_svg(uri: str, title: str) -> str:
    """The provisioning URI as an inline SVG QR code: no image request, no script, and no
    style attribute that the Content-Security-Policy would block. The light background keeps
    the quiet zone scannable on a dark page."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title=title, svgclass="qr-code", lineclass=None
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)


def normalise_code(code: str) -> str:
    # Apps show "123 456"; people paste it with the space.
    return re.sub(r"\s+", "", code or "")


def matching_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The time step whose code `code` is, when it is within the tolerance and newer than
    `last_step`; None otherwise (a wrong, stale or replayed code)."""
    code = normalise_code(code)
    if not _CODE.fullmatch(code):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - TOLERANCE_STEPS, current + TOLERANCE_STEPS + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None
