"""What semantic topic matching compares posts with: each topic's prototypes.

A topic's prototypes are its label, its keyword list as one text (terms,
phrases and hashtag words: a single word's vector says little, the list
together says what the topic is about), each of its ``examples:``
sentences, and the posts staff labelled with it (``nlp.labelled_files``).
Posts staff labelled as no topic ('none', 'other'...) become negative
prototypes: a post nearest one of those gets no semantic topic.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from nlp.config import TopicSpec
from nlp.labelled import LabelledDataError

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
            fh = Path(path).open(newline="", encoding="utf-8-sig")
        except OSError as exc:
            raise LabelledDataError(f"{path}: cannot read staff labels ({exc.strerror})") \
                from None
        with fh:
            reader = csv.DictReader(fh)
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
