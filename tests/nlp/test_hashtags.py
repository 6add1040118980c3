"""Hashtags split into words: acronyms end where a capitalised word starts,
road numbers stay whole; released classifier versions keep their old split."""

from __future__ import annotations

import pytest

from nlp.config import TopicSpec
from nlp.keywords import KeywordTopicsV2, KeywordTopicsV3
from nlp.textprep import clean, hashtag_words


@pytest.mark.parametrize(("body", "words"), [
    ("NHSWaitingTimes", "NHS Waiting Times"),
    ("A14Roadworks", "A14 Roadworks"),
    ("M25Closure", "M25 Closure"),
    ("FixTheA14", "Fix The A14"),
    ("PotholeHell", "Pothole Hell"),
    ("ASBTeam", "ASB Team"),
    ("NHS111", "NHS 111"),
    ("Covid19", "Covid 19"),
    ("2ndChance", "2nd Chance"),
    ("bincollection", "bincollection"),
    ("GPaccess", "GPaccess"),
])
def test_hashtag_words(body: str, words: str) -> None:
    assert hashtag_words(body) == words


def test_clean_keeps_the_released_split_unless_asked() -> None:
    text = "Still waiting #NHSWaitingTimes #A14Roadworks"
    assert clean(text).text.split() == ["Still", "waiting", "NHSWaiting", "Times", "A", "14",
                                        "Roadworks"]
    assert clean(text, "v2").text.split() == ["Still", "waiting", "NHS", "Waiting", "Times",
                                              "A14", "Roadworks"]
    assert clean(text, "v2").hashtags == {"nhswaitingtimes", "a14roadworks"}


def test_keywords_v3_matches_a_phrase_inside_an_acronym_hashtag() -> None:
    topics = {"waits": TopicSpec(label="Waiting times", phrases=["waiting times"]),
              "roads": TopicSpec(label="Roads", terms=["a14"])}
    text = ["Another month on the list #NHSWaitingTimes", "Queues again #A14Roadworks"]
    old = [[lab.label for lab in labs] for labs in KeywordTopicsV2(topics).classify(text)]
    new = [[lab.label for lab in labs] for labs in KeywordTopicsV3(topics).classify(text)]
    assert old == [[], []]
    assert new == [["waits"], ["roads"]]
