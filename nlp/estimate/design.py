"""What the share estimators take in: a period's predictions and an audit
(predicted and gold labels of a sample of posts, with how it was drawn).
What they give back is in ``nlp.estimate.results``.

A label is a string (one label per post: sentiment) or a set of strings
(several per post: topics); an empty set means "no label" and is counted
as the class ``none``.

Sampling designs. An audit is either a simple random sample of its period
(``strata=None``), or a stratified one: each post belongs to one stratum
(e.g. "roads|negative", from its predicted topic and sentiment), the
period had ``sizes[h]`` posts in stratum ``h`` and the audit drew ``n_h``
of them at random. A post's design weight is ``sizes[h] / n_h`` (the
inverse of its chance of being drawn); every estimator here uses it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

NONE = "none"  # the class of a post with no label (as in nlp.labelled)
ALL = "all"  # the single stratum of a simple random sample

Label = str | frozenset[str] | set[str] | tuple[str, ...]


def label_set(label: Label) -> frozenset[str]:
    """One post's label(s) as a set; no label is ``{"none"}``."""
    found = frozenset([label]) if isinstance(label, str) else frozenset(label)
    return found or frozenset([NONE])


@dataclass(frozen=True)
class Period:
    """The posts a share is reported for, summarised per stratum:
    ``sizes[h]`` posts, of which ``predicted[h][k]`` were predicted class ``k``.

    Build it with ``from_labels`` (one predicted label per post) or
    ``from_counts`` (counts per class of a one-stratum, one-label period)."""

    sizes: Mapping[str, int]
    predicted: Mapping[str, Mapping[str, int]]

    @classmethod
    def from_labels(cls, predicted: Sequence[Label], strata: Sequence[str] | None = None,
                    ) -> Period:
        if strata is not None and len(strata) != len(predicted):
            raise ValueError(f"{len(predicted)} predictions but {len(strata)} strata")
        sizes: Counter[str] = Counter()
        counts: dict[str, Counter[str]] = {}
        for i, label in enumerate(predicted):
            h = ALL if strata is None else strata[i]
            sizes[h] += 1
            counts.setdefault(h, Counter()).update(label_set(label))
        return cls(dict(sizes), {h: dict(c) for h, c in counts.items()})

    @classmethod
    def from_counts(cls, counts: Mapping[str, int]) -> Period:
        if any(v < 0 for v in counts.values()):
            raise ValueError("counts cannot be negative")
        return cls({ALL: sum(counts.values())}, {ALL: dict(counts)})

    @property
    def total(self) -> int:
        return sum(self.sizes.values())

    def counts(self) -> dict[str, int]:
        """Posts predicted each class, over all strata."""
        out: Counter[str] = Counter()
        for per_class in self.predicted.values():
            out.update(per_class)
        return dict(out)

    @property
    def single_label(self) -> bool:
        return all(sum(self.predicted.get(h, {}).values()) == n for h, n in self.sizes.items())


@dataclass(frozen=True)
class Audit:
    """Posts whose true (``gold``) label staff gave, beside the label the
    classifier ``predicted``. ``strata``/``sizes`` describe a stratified draw
    (see the module docstring); leave both out for a simple random sample."""

    predicted: tuple[frozenset[str], ...]
    gold: tuple[frozenset[str], ...]
    strata: tuple[str, ...]
    sizes: Mapping[str, int] | None = None

    @classmethod
    def of(cls, predicted: Sequence[Label], gold: Sequence[Label],
           strata: Sequence[str] | None = None, sizes: Mapping[str, int] | None = None,
           ) -> Audit:
        if len(predicted) != len(gold):
            raise ValueError(f"{len(predicted)} predicted labels but {len(gold)} gold labels")
        if strata is None:
            if sizes is not None:
                raise ValueError("stratum sizes given without the stratum of each post")
            strata = [ALL] * len(gold)
        elif len(strata) != len(gold):
            raise ValueError(f"{len(gold)} audited posts but {len(strata)} strata")
        elif sizes is None:
            raise ValueError("a stratified audit needs the stratum sizes of the period it "
                             "was drawn from (sizes={stratum: posts})")
        else:
            short = sorted(h for h, n in Counter(strata).items() if sizes.get(h, 0) < n)
            if short:
                raise ValueError(f"strata with more audited posts than posts: {short}")
        return cls(tuple(map(label_set, predicted)), tuple(map(label_set, gold)),
                   tuple(strata), None if sizes is None else dict(sizes))

    def __len__(self) -> int:
        return len(self.gold)

    @property
    def stratified(self) -> bool:
        return self.sizes is not None

    def weights(self) -> list[float]:
        """Each audited post's design weight: the posts it stands for."""
        if self.sizes is None:
            return [1.0] * len(self.gold)
        drawn = Counter(self.strata)
        return [self.sizes[h] / drawn[h] for h in self.strata]

    @property
    def single_label(self) -> bool:
        return all(len(s) == 1 for s in (*self.predicted, *self.gold))


def classes_of(period: Period, audit: Audit, extra: Iterable[str] = ()) -> list[str]:
    """Every class seen in the period's predictions or the audit, sorted."""
    found = set(period.counts()) | set(extra)
    for labels in (*audit.predicted, *audit.gold):
        found |= labels
    return sorted(found)
