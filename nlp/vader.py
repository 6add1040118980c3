"""VADER sentiment: the fast lexicon default."""

from __future__ import annotations

import html
from collections.abc import Sequence
from importlib.metadata import version as dist_version
from typing import Any

from nlp import service_lexicon, textprep
from nlp.registry import BuildContext, Registered, classifier
from nlp.types import Label

POSITIVE_AT = 0.05  # VADER's standard thresholds on the compound score
NEGATIVE_AT = -0.05


def polarity(compound: float, negative_at: float = NEGATIVE_AT,
             positive_at: float = POSITIVE_AT) -> str:
    if compound >= positive_at:
        return "positive"
    if compound <= negative_at:
        return "negative"
    return "neutral"


def _vader_model_id() -> str:
    try:
        return f"vaderSentiment=={dist_version('vaderSentiment')}"
    except Exception:  # pragma: no cover - metadata missing in odd installs
        return "vaderSentiment"


def fast_analyzer() -> Any:
    """VADER's ``SentimentIntensityAnalyzer`` with its emoji pass skipped
    for a text that holds no emoji it knows.

    ``polarity_scores`` first walks the text character by character,
    replacing each emoji with its name; with none there, the walk gives the
    text back unchanged, so the steps after it (copied from
    vaderSentiment 3.3.2, MIT licence) run on the text itself: the same
    scores, compared with the library's own method in
    tests/nlp/test_vader_fast.py. The emoji set is read again whenever it
    changes size (v3 adds its emoji after construction)."""
    from vaderSentiment import vaderSentiment as vs

    class FastAnalyzer(vs.SentimentIntensityAnalyzer):  # type: ignore[misc]
        _emoji_chars: frozenset[str] = frozenset()
        _emoji_count = -1

        def polarity_scores(self, text: str) -> dict[str, float]:
            if len(self.emojis) != self._emoji_count:
                # the walk tests one character at a time: only one-character keys count
                self._emoji_chars = frozenset(k for k in self.emojis if len(k) == 1)
                self._emoji_count = len(self.emojis)
            if not isinstance(text, str) or not self._emoji_chars.isdisjoint(text):
                return dict(super().polarity_scores(text))
            text = text.strip()
            # vaderSentiment 3.3.2's polarity_scores after its emoji pass
            sentitext = vs.SentiText(text)
            sentiments: list[Any] = []
            words_and_emoticons = sentitext.words_and_emoticons
            for i, item in enumerate(words_and_emoticons):
                valence = 0
                if item.lower() in vs.BOOSTER_DICT:
                    sentiments.append(valence)
                    continue
                if (i < len(words_and_emoticons) - 1 and item.lower() == "kind" and
                        words_and_emoticons[i + 1].lower() == "of"):
                    sentiments.append(valence)
                    continue
                sentiments = self.sentiment_valence(valence, sentitext, item, i, sentiments)
            sentiments = self._but_check(words_and_emoticons, sentiments)
            return dict(self.score_valence(sentiments, text))

    return FastAnalyzer()


def prepare(text: str) -> str:
    """Entities decoded, URLs and mentions dropped (they carry no sentiment)."""
    if "&" in text:
        text = html.unescape(text)
    if "http" in text or "www." in text:
        text = textprep.URL_RE.sub(" ", text)
    if "@" in text:
        text = textprep.MENTION_RE.sub(" ", text)
    return text


@classifier("sentiment.vader", "v1", task="sentiment")
class VaderSentiment(Registered):
    """One label per text: negative / neutral / positive, score = compound."""

    def __init__(self) -> None:
        self.analyzer: Any = fast_analyzer()
        self.model_id: str | None = _vader_model_id()

    @classmethod
    def from_context(cls, ctx: BuildContext) -> VaderSentiment:
        return cls()

    negative_at = NEGATIVE_AT
    positive_at = POSITIVE_AT

    def compound(self, text: str) -> float:
        return float(self.analyzer.polarity_scores(prepare(text))["compound"])

    def scores(self, text: str) -> tuple[float, float, float, float]:
        """VADER's (neg, neu, pos, compound): features for the learned heads."""
        d = self.analyzer.polarity_scores(prepare(text))
        return (float(d["neg"]), float(d["neu"]), float(d["pos"]), float(d["compound"]))

    def classify(self, texts: Sequence[str]) -> list[list[Label]]:
        out: list[list[Label]] = []
        for text in texts:
            score = self.compound(text)
            label = polarity(score, self.negative_at, self.positive_at)
            out.append([Label("sentiment", label, score, self.name, self.version,
                              self.model_id)])
        return out


@classifier("sentiment.vader", "v2", task="sentiment")
class ServiceVaderSentiment(VaderSentiment):
    """v2: VADER plus the public-service lexicon (words and phrases), and a
    positive threshold of 0.4 (VADER's 0.05 calls mild politeness positive;
    measured on the dev sets, see docs/nlp.md)."""

    positive_at = 0.4

    def __init__(self) -> None:
        super().__init__()
        self.analyzer.lexicon.update(service_lexicon.WORDS)
        self.model_id = f"{self.model_id}+service-lexicon-1"

    def compound(self, text: str) -> float:
        text = prepare(text)
        score = float(self.analyzer.polarity_scores(text)["compound"])
        hits = len(service_lexicon.phrase_hits(text))
        return max(-1.0, score - service_lexicon.PHRASE_WEIGHT * hits)

