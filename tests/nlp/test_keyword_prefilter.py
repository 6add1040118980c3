"""Keyword matching skips texts no pattern can match (nlp.keywords: a text
is tokenised whole only when one of its whitespace-separated spans holds a
pattern's required lemma, and its spans hold every other lemma of one
pattern that is not a special case's). The matches must be exactly those of matching
every text's own doc, cold (spans not known yet) and warm."""

from __future__ import annotations

from nlp import textprep
from nlp.config import TopicSpec
from nlp.keywords import KeywordTopics, KeywordTopicsV3, Matches

TOPICS = {
    "roads": TopicSpec(label="Roads", terms=["pothole", "road", "tarmac"],
                       phrases=["high street", "not fixed"], exclusions=["road runner"]),
    "bins": TopicSpec(label="Bins", terms=["bin", "rubbish", "garbage"],
                      hashtags=["#bincollection"], exclusions=["bin strike"]),
    "send": TopicSpec(label="SEND", terms=["sen", "send"]),  # "sen": a risky lemma (Sen.)
    "lights": TopicSpec(label="Lights", phrases=["street light"], terms=["streetlight"]),
    "housing": TopicSpec(label="Housing", terms=["housing", "damp"], phrases=["can not"]),
}
TEXTS = [
    "Huge pothole on Mill Lane again!!", "Potholes, potholes everywhere...", "the ROADS are awful",
    "Bins not collected #bincollection", "Day 4 of the bin strike", "garbage-dumped near school",
    "rubbish;rubbish", "(road)", "road.Bin", "high  street", "high\nstreet", "high street.",
    "it's not fixed", "It isn't fixed", "not\tfixed", "cannot sleep, can not work", "don't dump",
    "Sen. support", "SEN support needed", "sens", "Sen .", "Sen. _.", "(Sen.", "the Sen.:-)",
    "Sen.)", "meet Sen. (x) at 10a.m.", "a.m. road", ":-) road", "Road Runner cartoon",
    "streetlight out", "street lights out", "\u0130stanbul road", "\u212aent road", "ro\u017fe",
    "caf\u00e9 garbage", "\u201croad\u201d", "road\u2019s edge", "", "   ", "\n", " road ",
    "nothing to see here", "x " * 50, "tarmac" * 20, "https://example.org/road @road #road",
    "damp and mould in housing", "house", "#Pothole", "#BinCollection", "bin-strike",
    "high hopes", "street party", "street high", "light the street", "the road runs",
    "runner on the road", "not here", "fixed it", "can can", "support Sen.", "SEN",
]


def reference(clf: KeywordTopics, texts: list[str]) -> list[Matches]:
    """Every text through its own doc and the matcher (the path before the prefilter)."""
    from nlp.keywords import _SEP

    strings = textprep.blank_english().vocab.strings
    out = []
    for text in texts:
        prep = textprep.clean(text, clf.hashtags)
        doc = next(textprep.docs([prep.text], keep_gerunds=clf.keep_gerunds))
        hits = [strings[m].split(_SEP) for m, _, _ in clf._matcher(doc)]
        out.append(clf.collect(hits, prep.hashtags))
    return out


def test_the_prefilter_gives_every_match_cold_and_warm() -> None:
    for cls in (KeywordTopics, KeywordTopicsV3):
        clf = cls(TOPICS)
        expected = reference(clf, TEXTS)
        assert sum(bool(m.found or m.vetoed) for m in expected) > 30  # the texts do match
        assert clf.matches(TEXTS) == expected  # cold: spans learnt while matching
        assert clf.matches(TEXTS) == expected  # warm: spans known
        assert [clf.matches([t])[0] for t in reversed(TEXTS)] == expected[::-1]
        fresh = cls(TOPICS)
        assert [fresh.matches([t])[0] for t in TEXTS] == expected  # one at a time, cold


def test_texts_with_no_required_lemma_are_not_tokenised() -> None:
    clf = KeywordTopicsV3(TOPICS)
    clf.matches(["the bin on the road", "nothing to see here"])
    assert clf._could_match("nothing to see here") is False
    assert clf._could_match("the bin") is True
    assert clf._could_match("a brand new phrase") is None  # spans not seen yet
    # a phrase's words all there, or only some of them
    clf.matches(["high street", "nothing here", "hopes", "street"])
    assert clf._could_match("high street") is True
    assert clf._could_match("street high") is True  # in the wrong order: the matcher says no
    assert clf._could_match("high hopes") is False  # "street" missing
    assert clf._could_match("street") is False  # "high", "light" missing
    assert clf._could_match("nothing here") is False
    safe, risky = clf._required
    assert "sen" in risky and "pothole" in safe
    assert clf._risky_in("Sen.") and not clf._risky_in("Sen")  # letters only: no special case
