"""The vendored htmx is exactly the published file the README names."""

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HTMX_SHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
PINNED = {
    ROOT / "consult/static/vendor/htmx-2.0.11.min.js": HTMX_SHA256,
    ROOT / "tests/browser/axe-4.14.1.min.js": AXE_SHA256,
}


def test_vendored_files_match_their_pinned_hashes():
    for path, expected in PINNED.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == expected, path.name


def test_templates_reference_no_other_host():
    for template in (ROOT / "consult/templates").rglob("*.html"):
        text = template.read_text()
        assert "//cdn" not in text and "https://" not in text and "http://" not in text, template
