"""Places and organisations from the config gazetteer (wards, towns,
hospitals, schools, named services), matched with spaCy's EntityRuler on
lower-case tokens and stored as ``place`` labels (value = the place slug)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from nlp import textprep
from nlp.config import PlaceSpec
from nlp.registry import BuildContext, Registered, classifier
from nlp.types import Label


@classifier("places.gazetteer", "v1", task="place")
class GazetteerPlaces(Registered):
    model_id: str | None = "spacy-blank-en+entity-ruler(lower)"
    hashtags = "v1"  # how a hashtag is split into words (nlp.textprep.clean)

    def __init__(self, places: Mapping[str, PlaceSpec]) -> None:
        import spacy

        self.places = dict(places)
        self._nlp: Any = spacy.blank("en")
        ruler: Any = self._nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
        patterns = []
        for slug, spec in self.places.items():
            for name in {spec.label, *spec.aliases}:
                if name.strip():
                    patterns.append({"label": spec.kind,
                                     "pattern": textprep.clean(name, self.hashtags).text,
                                     "id": slug})
        ruler.add_patterns(patterns)

    def classify(self, texts: Sequence[str]) -> list[list[Label]]:
        out: list[list[Label]] = []
        cleaned = (textprep.clean(t, self.hashtags).text for t in texts)
        for doc in self._nlp.pipe(cleaned, batch_size=256):
            found: dict[str, list[str]] = {}
            for ent in doc.ents:
                words = found.setdefault(ent.ent_id_, [])
                if ent.text not in words:
                    words.append(ent.text)
            out.append([Label(self.task, slug, 1.0, self.name, self.version, self.model_id,
                              tuple(words)) for slug, words in found.items()])
        return out

    @classmethod
    def from_context(cls, ctx: BuildContext) -> GazetteerPlaces:
        return cls(ctx.settings.places)


@classifier("places.gazetteer", "v2", task="place")
class GazetteerPlacesV2(GazetteerPlaces):
    """v2: hashtags split at the end of an acronym and keep road numbers
    whole (``#A14Roadworks`` names the A14)."""

    hashtags = "v2"
