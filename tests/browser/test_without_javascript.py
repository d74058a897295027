"""Every page of the catalogue (tests/pages.py) works with JavaScript switched off: its main
content is there under its heading, and nothing on it needs the script: every HTMX link has a
real address, every HTMX form a real action, and no visible button waits for a script. (The
main flows without JavaScript are walked through in test_participation.py, test_journey.py and
test_administration.py.)"""

from pprint import pformat

from tests.browser.conftest import by_session
from tests.pages import PAGES

# What would only work with the script, as "tag#id.class: why".
SCRIPT_ONLY = """(siteChrome) => {
  const visible = (el) => el.getClientRects().length > 0 &&
    getComputedStyle(el).visibility !== 'hidden';
  const problems = [];
  const report = (el, why) => problems.push(
    el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' +
    el.textContent.trim().slice(0, 40) + '": ' + why);
  for (const el of document.querySelectorAll('[hx-get], [hx-post], [hx-put], [hx-delete]')) {
    if (el.tagName === 'A') {
      const href = el.getAttribute('href') || '';
      if (!href || href === '#' || href.startsWith('javascript:')) report(el, 'no address');
    } else if (el.tagName === 'FORM') {
      if (!el.getAttribute('action')) report(el, 'form without an action');
      const method = (el.getAttribute('method') || 'get').toLowerCase();
      if (el.hasAttribute('hx-post') && method !== 'post') report(el, 'would GET, not POST');
    } else if (el.tagName === 'BUTTON') {
      if (!el.form || el.type !== 'submit') report(el, 'HTMX button outside a form');
    } else {
      report(el, 'HTMX on an element that does nothing without the script');
    }
  }
  for (const button of document.querySelectorAll('button')) {
    if (!visible(button)) continue;
    if (button.type === 'button') report(button, 'a visible button that needs the script');
    else if (!button.form) report(button, 'a submit button outside a form');
  }
  // The report has no site frame: its title page comes before its main part.
  const main = siteChrome ? document.querySelector('main') : document.body;
  const heading = main.querySelector('h1');
  if (!heading || !heading.textContent.trim() || !visible(heading)) {
    problems.push('no visible h1 in main');
  }
  if (!main.innerText.trim()) problems.push('main is empty');
  return problems;
}"""


def test_every_page_works_without_javascript(visit_as, catalogue_url, world):
    failures = {}
    for group in by_session(PAGES):
        with visit_as(group[0], javascript=False) as page:
            for entry in group:
                url = f"{catalogue_url}/de{entry.path(world)}"
                response = page.goto(url)
                problems = page.evaluate(SCRIPT_ONLY, entry.site_chrome)
                assert page.evaluate("() => typeof window.htmx") == "undefined"
                if response.status != entry.status:
                    problems.append(f"status {response.status}")
                if problems:
                    failures[f"{entry.name} ({url})"] = problems
    assert not failures, pformat(failures, width=120)
