"""The analyzer sentiment.vader uses (nlp.vader.fast_analyzer) skips VADER's
emoji pass when a text holds no emoji: its scores must be the library's."""

from __future__ import annotations

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from nlp import sentiment_cues
from nlp.vader import fast_analyzer

TEXTS = [
    "Bins not collected again, absolutely disgusting", "GREAT job fixing the road!!!",
    "kind of ok I guess", "The service was not good but the staff were lovely",
    "no problem at all :)", "I don't think it's bad", "  leading and trailing  ", "",
    "Sort of fine. Hardly amazing though", "never so good", "at least it's not terrible",
    "without a doubt the worst", "It isn't really that great, is it?", "\U0001f621 bins again",
    "Thanks \U0001f44d", "lovely\U0001f600day", "\u2764\ufe0f the park",
    "ok \U0001f926\u200d\u2642\ufe0f",
    "so \U0001f92c\U0001f92c", "cafe\u0301 was shut", "the kind of day", "kind of", "KIND OF BAD",
]


def test_scores_equal_the_librarys_with_and_without_emoji() -> None:
    ours, theirs = fast_analyzer(), SentimentIntensityAnalyzer()
    for text in TEXTS:
        assert ours.polarity_scores(text) == theirs.polarity_scores(text), text
    # emoji added after construction (as sentiment.vader v3 does) are seen
    for analyzer in (ours, theirs):
        for i, (emoji, valence) in enumerate(sentiment_cues.EMOJI.items()):
            analyzer.emojis[emoji] = f"emojicue{i} "
            analyzer.lexicon[f"emojicue{i}"] = valence
    for text in TEXTS + [f"bins {e}" for e in sentiment_cues.EMOJI]:
        assert ours.polarity_scores(text) == theirs.polarity_scores(text), text
