"""Language identification with py3langid (its model ships inside the wheel,
so it works offline). Every post gets one ``lang`` label: an ISO 639-1 code,
or ``und`` when the text is too short or has no letters to tell."""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib.metadata import version as dist_version
from typing import Any

from nlp import textprep
from nlp.registry import BuildContext, Registered, classifier
from nlp.types import Label

# Languages likely in posts to UK public bodies (the identifier is faster and
# more accurate on a shortlist); any other language reads as the nearest one.
LANGUAGES = ["en", "cy", "ga", "fr", "de", "es", "it", "pt", "nl", "pl", "ro", "lt",
             "lv", "bg", "cs", "sk", "hu", "el", "tr", "ru", "uk", "ar", "ur", "pa", "bn",
             "hi", "gu", "ta", "zh", "ja", "ko", "fa", "sw", "vi", "th", "id", "ms", "sq",
             "da", "sv", "no"]
MIN_LETTERS = 12
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


@classifier("lang.langid", "v1", task="lang")
class LangId(Registered):

    def __init__(self, min_confidence: float = 0.5) -> None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        self._identifier: Any = LanguageIdentifier.from_pickled_model(MODEL_FILE,
                                                                      norm_probs=True)
        self._identifier.set_languages(LANGUAGES)
        self.min_confidence = min_confidence
        self.model_id: str | None = f"py3langid=={dist_version('py3langid')}"

    def identify(self, text: str) -> tuple[str, float]:
        prepared = textprep.clean(text).text
        if len(_LETTERS.findall(prepared)) < MIN_LETTERS:
            return "und", 0.0
        code, prob = self._identifier.classify(prepared)
        if float(prob) < self.min_confidence:
            return "und", float(prob)
        return str(code), float(prob)

    def classify(self, texts: Sequence[str]) -> list[list[Label]]:
        out: list[list[Label]] = []
        for text in texts:
            code, prob = self.identify(text)
            out.append([Label(self.task, code, round(prob, 4), self.name, self.version,
                              self.model_id)])
        return out

    @classmethod
    def from_context(cls, ctx: BuildContext) -> LangId:
        return cls()
