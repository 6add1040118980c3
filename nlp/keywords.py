"""Keyword topics: config.yaml term, phrase and hashtag lists through spaCy's
PhraseMatcher on lookup lemmas (so ``pothole``, ``Potholes!!`` and
``#potholes`` all match), with exclusions that veto a topic, multi-label
output and the matched terms as evidence."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nlp import textprep
from nlp.config import TopicSpec
from nlp.prefilter import CASE_SPECIAL
from nlp.registry import BuildContext, Registered, classifier
from nlp.types import Label

if TYPE_CHECKING:
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

_SEP = "\x1f"
_SPAN_CACHE_MAX = 500_000  # whitespace-separated spans remembered per classifier
_SPAN_RE = re.compile(r"\S+")  # the spans str.split() gives, with their places
_RISKY_SPAN_MAX = 64  # longer spans with punctuation are matched whole if a lemma is risky
_RISKY = -1  # in a span's lemma ids: a risky lemma may be there (the text is tokenised)
_NONE: frozenset[int] = frozenset()  # a span with no pattern lemma


@dataclass(frozen=True)
class Matches:
    found: dict[str, list[str]]  # topic -> included terms matched, in order of first match
    vetoed: frozenset[str]  # topics an exclusion matched


@classifier("topics.keywords", "v1", task="topic")
class KeywordTopics(Registered):
    """Topic labels from keyword lists. Label value = the topic slug."""

    model_id: str | None = textprep.MODEL_ID
    keep_gerunds = False  # v1: the lookup table's lemma for -ing words too
    hashtags = "v1"  # how a hashtag is split into words (nlp.textprep.clean)

    def __init__(self, topics: Mapping[str, TopicSpec], batch_size: int = 256) -> None:
        from spacy.matcher import PhraseMatcher

        self.topics = dict(topics)
        self.batch_size = batch_size
        nlp = textprep.blank_english()
        self._matcher: PhraseMatcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self._hashtags: dict[str, list[tuple[str, str, str]]] = {}  # lemma -> (slug, kind, shown)
        patterns: list[list[str]] = []  # each pattern's token lemmas
        for slug, spec in self.topics.items():
            for kind, words in (("inc", [*spec.terms, *spec.phrases]), ("exc", spec.exclusions)):
                for word in words:
                    if word.strip().startswith("#"):
                        self._add_hashtag(slug, kind, word)
                        continue
                    pattern = list(textprep.docs([textprep.clean(word, self.hashtags).text],
                                                   keep_gerunds=self.keep_gerunds))
                    if len(pattern[0]):
                        self._matcher.add(_SEP.join((slug, kind, word)), pattern)
                        patterns.append([t.lemma_ for t in pattern[0]])
            for tag in spec.hashtags:
                self._add_hashtag(slug, "inc", tag)
        special = self._special_case_lemmas()
        self._required = self._required_lemmas(patterns, special)
        safe, risky = self._required
        strings = nlp.vocab.strings
        # per pattern, the lemmas a text must hold for it to match, indexed by
        # its required lemma (a special case's lemmas and whitespace left out:
        # their presence is not read from spans, see _required_lemmas)
        self._needs: dict[int, list[frozenset[int]]] = {}
        for lemmas in patterns:
            need = [lem for lem in lemmas if lem.strip() and lem not in special]
            if need:
                required = strings.add(max(need, key=len))
                self._needs.setdefault(required, []).append(
                    frozenset(strings.add(lem) for lem in need))
        self._risky_ids = frozenset(strings.add(lem) for lem in risky)
        self._wanted_ids = frozenset(
            {strings.add(lem) for lem in safe | risky}
            | {i for needs in self._needs.values() for need in needs for i in need})
        # every lower-case string whose lemma is risky (few: "sen" in the shipped lists)
        self._risky_forms = frozenset().union(
            *(textprep.lemma_forms(lem, self.keep_gerunds) for lem in risky)) - {""}
        self._risky_forms_ascii = all(f.isascii() for f in self._risky_forms)
        if "" in risky:  # a pattern of whitespace: every text is matched whole
            self._risky_forms = frozenset({""})
        # span -> the pattern lemmas among its tokens (string ids; _RISKY: tokenise
        # any text that holds it)
        self._spans: dict[str, frozenset[int]] = {}

    def _special_case_lemmas(self) -> frozenset[str]:
        """Every lemma a piece of a special case the tokenizer matches over
        the whole text could have (see ``_required_lemmas``)."""
        tok: Any = textprep.blank_english().tokenizer
        risky: set[str] = set()
        for rule in tok.rules:
            # the special cases the tokenizer matches over the whole text (its
            # own test, in Tokenizer.add_special_case)
            if tok.faster_heuristics and not (tok.find_prefix(rule) or tok.find_infix(rule)
                                              or tok.find_suffix(rule) or " " in rule):
                continue
            risky.update(textprep.lemma(rule[i:j].lower(), self.keep_gerunds)
                         for i in range(len(rule)) for j in range(i + 1, len(rule) + 1))
        return frozenset(risky)

    def _required_lemmas(self, patterns: list[list[str]], risky: frozenset[str]
                         ) -> tuple[frozenset[str], frozenset[str]]:
        """One lemma of each pattern (its longest), which a text must hold for
        the pattern to match: (safe ones, risky ones).

        The tokenizer splits a text at whitespace into spans and tokenises
        each span alone, then matches its special cases that hold
        punctuation (``Sen.``, ``a.m.``, ``:-)``) over the whole text: a
        match across spans changes no token but can stop a match inside a
        span, leaving that span's pieces apart. Those pieces are substrings
        of such a special case; a lemma one of them could have is "risky"
        and is also looked for in every substring of a span with
        punctuation. Any other lemma is in the whole text exactly when it is
        among the tokens of one of its spans, tokenised alone."""
        safe: set[str] = set()
        unsafe: set[str] = set()
        for lemmas in patterns:
            words = [lem for lem in lemmas if lem.strip()]
            usable = [lem for lem in words if lem not in risky]
            if usable:
                safe.add(max(usable, key=len))
            else:  # a pattern of whitespace only would match nothing here
                unsafe.add(max(words, key=len) if words else "")
        return frozenset(safe), frozenset(unsafe)

    def _could_match(self, text: str) -> bool | None:
        """False only when no pattern can match the (cleaned) text: for every
        pattern, one of its lemmas is in none of the text's
        whitespace-separated spans; None when a span is not known yet (the
        text is then tokenised whole, and its spans learnt from it, see
        ``_learn``). A pattern's lemmas all in the text do not make a match
        (order, adjacency): True means "tokenise and match"."""
        spans = self._spans
        found: set[int] = set()
        unknown = False
        for span in text.split():
            hit = spans.get(span)
            if hit is None:
                unknown = True
            elif hit:
                found |= hit
        if unknown:
            return None
        if not found:
            return False
        if _RISKY in found:
            return True
        needs = self._needs
        return any(need <= found for lem in found for need in needs.get(lem, ()))

    def _learn(self, text: str, doc: Doc) -> None:
        """Remember, for each span of ``text`` not known yet, whether it holds
        a required lemma, from the whole text's tokens: as far as the safe
        lemmas go, a span's tokens are its own in any text (see
        ``_required_lemmas``); a span with punctuation is also searched for
        the risky ones."""
        from spacy.attrs import IDX, LEMMA

        spans = self._spans
        if len(spans) >= _SPAN_CACHE_MAX:
            return
        arr = doc.to_array([IDX, LEMMA]).tolist() if len(doc) else []
        wanted, risky = self._wanted_ids, self._risky_ids
        k = 0
        for m in _SPAN_RE.finditer(text):
            start, end = m.span()
            while k < len(arr) and arr[k][0] < start:
                k += 1
            hit: set[int] = set()
            while k < len(arr) and arr[k][0] < end:
                if arr[k][1] in wanted:
                    hit.add(arr[k][1])
                k += 1
            span = m[0]
            if span not in spans:
                if not risky.isdisjoint(hit) or self._risky_in(span):
                    hit.add(_RISKY)
                spans[span] = frozenset(hit) if hit else _NONE

    def _risky_in(self, span: str) -> bool:
        """Whether a token inside a span with punctuation could have a risky
        lemma: one of the strings with that lemma is in the lower-cased span."""
        if not self._risky_forms or span.isalnum():  # no special case can touch it
            return False
        if not span.isascii() and (self._risky_forms_ascii is False or any(
                ch in CASE_SPECIAL for ch in span)):
            return True
        low = span.lower()
        return any(form in low for form in self._risky_forms)

    def _add_hashtag(self, slug: str, kind: str, tag: str) -> None:
        body = tag.strip().lstrip("#").lower()
        if body:
            shown = "#" + tag.strip().lstrip("#")
            self._hashtags.setdefault(textprep.lemma(body, self.keep_gerunds), []).append(
                (slug, kind, shown))

    def matches(self, texts: Sequence[str]) -> list[Matches]:
        """Per text: the included terms matched per topic (in order of first
        match) and the topics an exclusion vetoed."""
        prepared = [textprep.clean(t, self.hashtags) for t in texts]
        out: list[Matches] = []
        strings = textprep.blank_english().vocab.strings
        # only texts that hold a pattern's required lemma are tokenised whole
        # and matched (the same matches: the others cannot match)
        could = [self._could_match(p.text) for p in prepared]
        docs = textprep.docs((p.text for p, c in zip(prepared, could, strict=True)
                              if c is not False), self.batch_size, self.keep_gerunds)
        for prep, c in zip(prepared, could, strict=True):
            hits: list[list[str]] = []
            if c is not False:
                doc = next(docs)
                if c is None:
                    self._learn(prep.text, doc)
                hits = [strings[m_id].split(_SEP) for m_id, _, _ in self._matcher(doc)]
            out.append(self.collect(hits, prep.hashtags))
        return out

    def collect(self, hits: list[list[str]], hashtags: frozenset[str]) -> Matches:
        """One text's matches from its phrase hits ([slug, kind, word], in
        the matcher's order) and its hashtags."""
        found: dict[str, list[str]] = {}
        vetoed: set[str] = set()
        for body in hashtags:
            hits.extend(list(h) for h in self._hashtags.get(
                textprep.lemma(body, self.keep_gerunds), ()))
        for slug, kind, word in hits:
            if kind == "exc":
                vetoed.add(slug)
            elif word not in found.setdefault(slug, []):
                found[slug].append(word)
        return Matches(found, frozenset(vetoed))

    def labels(self, match: Matches) -> list[Label]:
        """The topic labels of one text's matches: every topic found and not vetoed."""
        return [Label("topic", slug, 1.0, self.name, self.version, self.model_id, tuple(words))
                for slug, words in match.found.items() if slug not in match.vetoed]

    def classify(self, texts: Sequence[str]) -> list[list[Label]]:
        return [self.labels(m) for m in self.matches(texts)]

    @classmethod
    def from_context(cls, ctx: BuildContext) -> KeywordTopics:
        return cls(ctx.topics, batch_size=min(ctx.settings.batch_size, 1000))


@classifier("topics.keywords", "v2", task="topic")
class KeywordTopicsV2(KeywordTopics):
    """v2: an ``-ing`` word matches only itself (parking is not park,
    housing is not house, planning is not plan, lighting is not light)."""

    keep_gerunds = True


@classifier("topics.keywords", "v3", task="topic")
class KeywordTopicsV3(KeywordTopicsV2):
    """v3: hashtags split at the end of an acronym and keep road numbers whole
    (``#NHSWaitingTimes`` -> NHS Waiting Times, so "waiting times" matches;
    ``#A14Roadworks`` -> A14 Roadworks)."""

    hashtags = "v2"
