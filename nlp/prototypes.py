"""Configured topics as points in embedding space.

Two uses share these prototypes:

- Semantic topic matching of posts (``topics.semantic``, issue 13). A
  topic's prototypes are its label, its keyword list as one text (terms,
  phrases and hashtag words: a single word's vector says little, the list
  together says what the topic is about), each of its ``examples:``
  sentences, and the posts staff labelled with it (``nlp.labelled_files``).
  Posts staff labelled as no topic ('none', 'other'...) become negative
  prototypes: a post nearest one of those gets no semantic topic
  (``topic_prototypes``).
- Which configured topic a discovered theme is nearest to
  (``TopicPrototypes``): each of the topic's own words embedded on its own,
  a theme's nearness being the highest cosine between its centroid and one
  of them, the prototype that gave it being the evidence ("near 'street
  light' 0.71").
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from nlp.config import TopicSpec
from nlp.labelled import LabelledDataError
from nlp.static_embed import Embeddings

if TYPE_CHECKING:
    from nlp.themes import Theme

NEGATIVE = ""  # the topic of a negative prototype


@dataclass(frozen=True)
class Prototype:
    topic: str  # topic slug, or NEGATIVE
    text: str  # what is embedded
    kind: str  # label, keywords, example, staff
    shown: str  # how evidence names it


@dataclass(frozen=True)
class StaffLabel:
    text: str
    label: str
    where: str  # file and row, for evidence that quotes no resident's words


def keyword_words(spec: TopicSpec) -> list[str]:
    """The topic's terms, phrases and hashtag words, in config order."""
    tags = [t.strip().lstrip("#") for t in spec.hashtags]
    return [w for w in [*spec.terms, *spec.phrases, *tags] if w.strip()]


def read_staff_labels(paths: Sequence[str | Path], text_col: str = "text",
                      label_col: str = "label") -> list[StaffLabel]:
    """The filled-in rows of staff-labelled CSVs (``listener label export``)."""
    out: list[StaffLabel] = []
    for path in paths:
        try:
            rows = Path(path).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise LabelledDataError(f"{path}: cannot read staff labels ({exc.strerror})") \
                from None
        reader = csv.DictReader(io.StringIO(rows, newline=""))
        missing = [c for c in (text_col, label_col) if c not in (reader.fieldnames or [])]
        if missing:
            raise LabelledDataError(f"{path}: no column {', '.join(map(repr, missing))}")
        for row_no, row in enumerate(reader, start=2):
            text, label = (row.get(text_col) or "").strip(), (row.get(label_col) or "").strip()
            if text and label:
                out.append(StaffLabel(text, label, f"{Path(path).name} row {row_no}"))
    return out


def topic_prototypes(topics: Mapping[str, TopicSpec], staff: Sequence[StaffLabel] = (),
                     none_labels: Collection[str] = ()) -> list[Prototype]:
    """Every prototype, grouped by topic in config order, negatives last.
    Staff labels naming neither a topic nor a 'none' label are left out."""
    nones = {n.lower() for n in none_labels}
    out: list[Prototype] = []
    for slug, spec in topics.items():
        out.append(Prototype(slug, spec.label, "label", spec.label))
        words = keyword_words(spec)
        if words:
            out.append(Prototype(slug, ", ".join(words), "keywords", words[0]))
        out += [Prototype(slug, e, "example", e) for e in spec.examples if e.strip()]
        out += [Prototype(slug, s.text, "staff", f"a post staff labelled ({s.where})")
                for s in staff if s.label == slug]
    out += [Prototype(NEGATIVE, s.text, "staff", f"a post staff labelled none ({s.where})")
            for s in staff if s.label.lower() in nones and s.label not in topics]
    return out


def digest(prototypes: Sequence[Prototype]) -> str:
    """A short hash of the prototypes' topics and texts, for the model id."""
    h = hashlib.sha256()
    for p in prototypes:
        h.update(f"{p.topic}\x1f{p.kind}\x1f{p.text}\x1e".encode())
    return h.hexdigest()[:12]


def topic_texts(spec: TopicSpec) -> list[str]:
    """The texts that stand for a topic: label, terms, phrases, hashtags
    (without '#') and any example sentences, each once."""
    words = [spec.label, *keyword_words(spec), *spec.examples]
    return list(dict.fromkeys(w.strip() for w in words if w.strip()))


@dataclass(frozen=True)
class TopicPrototypes:
    slugs: tuple[str, ...]  # one per prototype row
    texts: tuple[str, ...]
    vectors: np.ndarray  # unit rows

    @classmethod
    def build(cls, embedder: Embeddings, topics: Mapping[str, Sequence[str]]) -> TopicPrototypes:
        """Prototypes from each topic slug's texts (see ``topic_texts``)."""
        slugs = tuple(s for s, texts in topics.items() for _ in texts)
        texts = tuple(t for ts in topics.values() for t in ts)
        vectors = embedder.encode(list(texts)) if texts else np.zeros((0, embedder.dim))
        return cls(slugs, texts, np.asarray(vectors, dtype=np.float32))

    @classmethod
    def from_specs(cls, embedder: Embeddings, topics: Mapping[str, TopicSpec]
                   ) -> TopicPrototypes:
        return cls.build(embedder, {s: topic_texts(spec) for s, spec in topics.items()})

    def nearest(self, vector: np.ndarray) -> tuple[str, float, str] | None:
        """(topic slug, cosine, prototype text) nearest one unit vector."""
        if not self.slugs:
            return None
        sims = self.vectors @ np.asarray(vector, dtype=np.float32)
        best = int(np.argmax(sims))
        return self.slugs[best], round(float(sims[best]), 4), self.texts[best]

    def annotate(self, theme: Theme) -> Theme:
        """The theme with its nearest topic filled in."""
        found = self.nearest(theme.centroid)
        if found is None:
            return theme
        slug, sim, text = found
        return dataclasses.replace(theme, nearest_topic=slug, topic_similarity=sim,
                                   topic_evidence=text)
