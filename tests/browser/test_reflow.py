"""Reflow, text size and text spacing: every page of the catalogue (tests/pages.py), in German
and in Arabic, 320 CSS pixels wide (WCAG 1.4.10), with the text at 200 % (1.4.4) and with the
text spacing of 1.4.12, needs no horizontal scrolling, and nothing sticks out of the window or
is cut off in the header and navigation. Data tables may scroll inside their own box
(.table-scroll), as 1.4.10 allows."""

from pprint import pformat

import pytest

from tests.browser.conftest import by_session
from tests.pages import PAGES

# Three conditions, one after the other on one page load: narrow; wide with the text doubled
# (through the CSSOM, which the CSP allows; Chromium's text-only zoom does the same to rem and
# em); and with the text spacing of 1.4.12 on top, as a user style sheet would set it.
CONDITIONS = [
    ("320 px wide (1.4.10)", {"width": 320, "height": 640}, None),
    (
        "text at 200 % (1.4.4)",
        {"width": 1024, "height": 768},
        "() => { document.documentElement.style.fontSize = '200%'; }",
    ),
    (
        "text spacing (1.4.12)",
        {"width": 1024, "height": 768},
        """() => {
            document.documentElement.style.fontSize = '';
            const sheet = new CSSStyleSheet();
            sheet.replaceSync(`* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
                word-spacing: 0.16em !important; } p { margin-block-end: 2em !important; }`);
            document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
        }""",
    ),
]

# Everything the reader would have to scroll sideways for, or would not see at all: the
# document wider than the window; any element or text reaching past either edge (in a
# right-to-left page the part past the right edge cannot even be scrolled to); in the header
# and in every navigation, text wider than its box (cut off, or running into its neighbour).
MEASURE = """() => {
  const width = window.innerWidth;
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.classList.length ? '.' + [...el.classList].join('.') : '') +
    ' "' + (el.textContent || '').trim().slice(0, 40) + '"';
  const where = (el, rect) =>
    `${describe(el)} [${Math.round(rect.left)}, ${Math.round(rect.right)}]`;
  // Inside a box that scrolls or clips (a wide table in .table-scroll, visually hidden text).
  const clipped = new Map();
  const scrollsOrHides = (node) => {
    const parent = node.parentElement;
    if (!parent || parent === document.body) return false;
    if (!clipped.has(parent)) {
      // An SVG clips nothing here: its text may not stick out.
      const own = parent.tagName !== 'svg' && getComputedStyle(parent).overflowX !== 'visible';
      clipped.set(parent, own || scrollsOrHides(parent));
    }
    return clipped.get(parent);
  };
  const outside = [];
  for (const el of document.body.querySelectorAll('*')) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0 || scrollsOrHides(el)) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    if (rect.left < -1 || rect.right > width + 1) outside.push(where(el, rect));
  }
  // Text can stick out of its element (a long word in a narrow cell): measure the text itself.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const el = text.parentElement;
    if (!text.data.trim() || scrollsOrHides(text)) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    range.selectNodeContents(text);
    const rect = range.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    if (rect.left < -1 || rect.right > width + 1) outside.push('text in ' + where(el, rect));
  }
  const cut = [];
  for (const el of document.querySelectorAll('.site-header *, nav, nav *')) {
    const style = getComputedStyle(el);
    if (el.closest('.visually-hidden') || style.display === 'inline') continue;
    // Content wider than its box is cut off, or (overflow visible) runs into its neighbour.
    const wider = el.scrollWidth > el.clientWidth + 1;
    const taller = el.scrollHeight > el.clientHeight + 1 && style.overflowY !== 'visible';
    if (wider || taller) cut.push(describe(el));
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    width,
    outside: outside.slice(0, 5),
    cut: cut.slice(0, 5),
  };
}"""


@pytest.mark.parametrize("locale", ["de", "ar"])
def test_no_horizontal_scrolling(visit_as, catalogue_url, world, locale):
    failures = {}
    for group in by_session(PAGES):
        with visit_as(group[0]) as page:
            for entry in group:
                page.set_viewport_size(CONDITIONS[0][1])
                page.goto(f"{catalogue_url}/{locale}{entry.path(world)}")
                for condition, viewport, change in CONDITIONS:
                    page.set_viewport_size(viewport)
                    if change:
                        page.evaluate(change)
                    found = page.evaluate(MEASURE)
                    if (
                        found["scrollWidth"] > found["width"] + 1
                        or found["outside"]
                        or found["cut"]
                    ):
                        failures[f"{entry.name}, {condition}"] = found
    assert not failures, pformat(failures, width=120)
