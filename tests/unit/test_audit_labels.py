"""Every action the services write to the audit log has a label the admin can read."""

import re
from pathlib import Path

from consult.forms.audit import ACTION_LABELS

SOURCES = Path(__file__).resolve().parents[2] / "consult"
# record(actor, "area.verb", ...) possibly over several lines; also the audit route's own export.
RECORDED = re.compile(r"record\(\s*[\w.]+,\s*\"([a-z_]+\.[a-z_]+)\"")


def recorded_actions() -> set[str]:
    found = set()
    for source in SOURCES.rglob("*.py"):
        found.update(RECORDED.findall(source.read_text()))
    return found


def test_the_scan_finds_the_actions_of_every_area():
    areas = {action.split(".")[0] for action in recorded_actions()}
    assert {"comment", "staff", "draft", "answer", "consultation", "results"} <= areas


def test_every_recorded_action_has_a_label():
    assert recorded_actions() - ACTION_LABELS.keys() == set()
