from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from filings.constants import OrderStatus as S
from filings.diagram import mermaid, transitions
from filings.services import transition_states


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


def test_a_move_written_as_sql_reads_its_states_from_the_state_machine():
    assert transition_states("start_initial_review") == (S.PENDING_INITIAL_REVIEW, S.INITIAL_REVIEW)
    assert ("pending_initial_review", "initial_review", "start_initial_review") in transitions()
    with pytest.raises(ValueError):
        transition_states("withdraw")  # many sources: no single move to write out
    with pytest.raises(ValueError):
        transition_states("no_such_move")
