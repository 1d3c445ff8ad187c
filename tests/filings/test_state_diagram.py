from pathlib import Path

from django.conf import settings
from django.utils import translation

from filings.diagram import mermaid, transitions


def test_the_state_diagram_in_docs_matches_the_state_machine():
    with translation.override("zh-hans"):
        expected = mermaid()
    committed = (Path(settings.BASE_DIR) / "docs" / "state-machine.md").read_text(encoding="utf-8")
    assert committed == expected, "run: python manage.py state_diagram"


def test_the_diagram_shows_both_targets_of_a_branching_move():
    edges = {(s, t) for s, t, _ in transitions()}
    assert ("pending_miit_submission", "sms_verification") in edges
    assert ("pending_miit_submission", "miit_review") in edges
    assert ("initial_review", "approved") in edges  # claims end at the reviewer's pass
