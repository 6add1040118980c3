"""How well each configured term serves its topic (``listener topics health``).

Per term of each topic, over a set of posts: how many posts it matched (the
topic not vetoed), how many of those it alone matched for the topic, and how
many of them semantic matching also puts nearest that topic. Where staff
labels exist, the share of the labelled posts it matched that staff gave the
topic is its precision. A term is flagged as noisy when staff labels say
most of its matches are wrong, or, without enough labels, when most of its
matches rest on it alone and read as another topic or none ("park" matching
"can I park overnight", "call back" matching a broadband complaint).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from nlp.config import TopicSpec
from nlp.keywords import Matches


@dataclass(frozen=True)
class TermHealth:
    topic: str
    term: str  # as the keyword matcher names it (hashtags with '#')
    matches: int  # posts it matched, the topic not vetoed
    alone: int  # of those, posts where it was the topic's only matched term
    on_topic: int  # of those, posts semantically nearest the topic
    labelled: int  # staff-labelled posts it matched
    labelled_right: int  # of those, posts staff gave the topic
    noisy: bool
    reason: str

    @property
    def precision(self) -> float | None:
        return self.labelled_right / self.labelled if self.labelled else None


def configured_terms(spec: TopicSpec) -> list[str]:
    """The topic's terms as the matcher reports them: terms, phrases, '#tag'."""
    tags = ["#" + t.strip().lstrip("#") for t in spec.hashtags if t.strip().lstrip("#")]
    return [*spec.terms, *spec.phrases, *tags]


def term_health(topics: Mapping[str, TopicSpec], matches: Sequence[Matches],
                nearest: Sequence[str], staff_matches: Sequence[Matches] = (),
                staff_labels: Sequence[str] = (), *, min_matches: int = 10,
                min_labelled: int = 5, noisy_below: float = 0.5) -> list[TermHealth]:
    """``nearest[i]``: the topic post i is semantically nearest ('' for none)."""
    out = []
    for slug, spec in topics.items():
        for term in configured_terms(spec):
            hits = [i for i, m in enumerate(matches)
                    if slug not in m.vetoed and term in m.found.get(slug, ())]
            alone = sum(1 for i in hits if len(matches[i].found[slug]) == 1)
            on_topic = sum(1 for i in hits if nearest[i] == slug)
            staff = [lab for m, lab in zip(staff_matches, staff_labels, strict=True)
                     if slug not in m.vetoed and term in m.found.get(slug, ())]
            right = sum(1 for lab in staff if lab == slug)
            noisy, reason = _verdict(len(hits), alone, on_topic, len(staff), right,
                                     min_matches, min_labelled, noisy_below)
            out.append(TermHealth(slug, term, len(hits), alone, on_topic, len(staff), right,
                                  noisy, reason))
    return out


def _verdict(matches: int, alone: int, on_topic: int, labelled: int, right: int,
             min_matches: int, min_labelled: int, below: float) -> tuple[bool, str]:
    if labelled >= min_labelled:
        if right / labelled < below:
            return True, (f"staff labels: {right} of {labelled} posts it matched are about"
                          " the topic")
        return False, ""
    if matches < min_matches:
        return False, ""
    off = 1 - on_topic / matches
    if alone / matches >= below and off >= below:
        return True, (f"{off:.0%} of its matches read as another topic or none, and"
                      f" {alone / matches:.0%} matched on this term alone")
    return False, ""
