"""One-time codes: the accepted window, replay, the setup secret and the QR code."""

import base64
from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from consult.services import totp

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# A fixed moment in the middle of a 30-second step.
NOW = datetime(2026, 11, 25, 9, 30, 15, tzinfo=UTC)
STEP = pyotp.TOTP(SECRET).timecode(NOW)


def code_at(moment: datetime) -> str:
    return pyotp.TOTP(SECRET).at(moment)


def test_the_current_code_gives_its_time_step():
    assert totp.matching_step(SECRET, code_at(NOW), NOW, None) == STEP


@pytest.mark.parametrize("offset", [-1, 1])
def test_one_step_either_side_is_accepted_for_drifting_clocks(offset):
    code = code_at(NOW + timedelta(seconds=30 * offset))
    assert totp.matching_step(SECRET, code, NOW, None) == STEP + offset


@pytest.mark.parametrize("offset", [-3, -2, 2, 3])
def test_codes_further_away_are_refused(offset):
    code = code_at(NOW + timedelta(seconds=30 * offset))
    assert totp.matching_step(SECRET, code, NOW, None) is None


def test_a_code_whose_step_was_used_cannot_be_used_again():
    assert totp.matching_step(SECRET, code_at(NOW), NOW, last_step=STEP) is None
    earlier = code_at(NOW - timedelta(seconds=30))
    assert totp.matching_step(SECRET, earlier, NOW, last_step=STEP - 1) is None
    # The next code, still within the window, is fine.
    later = code_at(NOW + timedelta(seconds=30))
    assert totp.matching_step(SECRET, later, NOW, last_step=STEP) == STEP + 1


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12 34 56 78"])
def test_malformed_codes_are_refused(code):
    assert totp.matching_step(SECRET, code, NOW, None) is None


def test_a_code_typed_with_a_space_counts():
    code = code_at(NOW)
    assert totp.matching_step(SECRET, f" {code[:3]} {code[3:]} ", NOW, None) == STEP


def test_the_setup_secret_is_stable_per_nonce_and_never_the_same_elsewhere():
    secret = totp.setup_secret("key", 7, "nonce-a")
    assert secret == totp.setup_secret(b"key", 7, "nonce-a")
    assert len(base64.b32decode(secret)) == 20
    others = {
        totp.setup_secret("key", 7, "nonce-b"),
        totp.setup_secret("key", 8, "nonce-a"),
        totp.setup_secret("other key", 7, "nonce-a"),
    }
    assert secret not in others and len(others) == 3
    # Authenticator apps (and pyotp) accept it.
    assert len(pyotp.TOTP(secret).at(NOW)) == 6


def test_the_secret_is_shown_in_groups_of_four():
    assert totp.grouped("ABCDEFGHIJKL") == "ABCD EFGH IJKL"


def test_the_qr_code_is_plain_svg_that_a_strict_csp_allows():
    uri = totp.provisioning_uri(SECRET, "mira@kreis.example", "Kreis Beispiel")
    assert uri.startswith("otpauth://totp/")
    assert "issuer=Kreis%20Beispiel" in uri and "mira%40kreis.example" in uri
    svg = totp.qr_svg(uri, "QR code for your app")
    assert svg.startswith('<svg role="img" ')
    assert "<title>QR code for your app</title>" in svg
    for forbidden in ("style", "<script", "href", "<image", "xlink"):
        assert forbidden not in svg


def test_the_qr_code_svg_escapes_its_title_so_it_is_safe_to_mark_up():
    from consult.services import totp

    svg = totp.qr_svg("otpauth://totp/consult:a%40b?secret=JBSWY3DP&issuer=consult", '<b>&"x')
    assert svg.startswith('<svg role="img" ')
    assert "<title>&lt;b&gt;&amp;" in svg and "<b>" not in svg
    assert "<script" not in svg and "style=" not in svg
