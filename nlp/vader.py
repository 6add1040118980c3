"""VADER sentiment: the fast lexicon default."""

from __future__ import annotations

import html
from collections.abc import Sequence
from importlib.metadata import version as dist_version
from typing import Any

from nlp import textprep
from nlp.registry import BuildContext, register
from nlp.types import Label

POSITIVE_AT = 0.05  # VADER's standard thresholds on the compound score
NEGATIVE_AT = -0.05


def polarity(compound: float) -> str:
    if compound >= POSITIVE_AT:
        return "positive"
    if compound <= NEGATIVE_AT:
        return "negative"
    return "neutral"


def _vader_model_id() -> str:
    try:
        return f"vaderSentiment=={dist_version('vaderSentiment')}"
    except Exception:  # pragma: no cover - metadata missing in odd installs
        return "vaderSentiment"


def prepare(text: str) -> str:
    """Entities decoded, URLs and mentions dropped (they carry no sentiment)."""
    if "&" in text:
        text = html.unescape(text)
    if "http" in text or "www." in text:
        text = textprep.URL_RE.sub(" ", text)
    if "@" in text:
        text = textprep.MENTION_RE.sub(" ", text)
    return text


class VaderSentiment:
    """One label per text: negative / neutral / positive, score = compound."""

    name = "sentiment.vader"
    version = "v1"
    task = "sentiment"

    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self.analyzer: Any = SentimentIntensityAnalyzer()
        self.model_id: str | None = _vader_model_id()

    def compound(self, text: str) -> float:
        return float(self.analyzer.polarity_scores(prepare(text))["compound"])

    def classify(self, texts: Sequence[str]) -> list[list[Label]]:
        out: list[list[Label]] = []
        for text in texts:
            score = self.compound(text)
            out.append([Label("sentiment", polarity(score), score, self.name, self.version,
                              self.model_id)])
        return out


@register("sentiment.vader", "v1", task="sentiment")
def make_vader(ctx: BuildContext) -> VaderSentiment:
    return VaderSentiment()
