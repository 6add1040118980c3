"""request.rules: questions and complaints addressed to the body."""

from __future__ import annotations

import pytest

from nlp.questions import RequestRules


@pytest.fixture(scope="module")
def rules() -> RequestRules:
    return RequestRules()


def kinds(rules: RequestRules, text: str) -> set[str]:
    return {lab.label for lab in rules.classify([text])[0]}


@pytest.mark.parametrize(("text", "expected"), [
    ("@ExampleCouncil when will the tip reopen", {"question"}),
    ("@ExampleCouncil any update on my missed bin? still waiting", {"question", "complaint"}),
    ("Reported the pothole 3 weeks ago and still waiting", {"complaint"}),
    ("@ExampleCouncil this is an absolute disgrace", {"complaint"}),
    ("@ExampleCouncil you lot are hopeless and I'm furious", {"complaint"}),  # negative, direct
    ("@ExampleCouncil thank you, lovely service today", set()),
    ("Lovely walk in the park this morning", set()),
])
def test_rules(rules: RequestRules, text: str, expected: set[str]) -> None:
    assert kinds(rules, text) == expected


def test_negative_tone_needs_a_direct_mention(rules: RequestRules) -> None:
    assert kinds(rules, "you lot are hopeless and I'm furious") == set()


def test_evidence_names_the_cues(rules: RequestRules) -> None:
    labels = rules.classify(["still waiting, when will you fix it?"])[0]
    evidence = {lab.label: lab.evidence for lab in labels}
    assert "still waiting" in evidence["complaint"] and "when will" in evidence["question"]
