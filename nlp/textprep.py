"""Text preparation shared by the keyword matcher and the validators.

Offline and fast: spaCy's English tokenizer (``spacy.blank("en")``) with the
lookup lemma table from ``spacy-lookups-data``, cached per lower-case token.
URLs and @mentions are removed before matching; hashtags are kept as their
words (``#PotholeHell`` -> ``Pothole Hell``) and reported separately;
HTML entities are decoded.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.lookups import Table
    from spacy.tokens import Doc

URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# @user, @user@instance.social (Mastodon), u/user (Reddit)
MENTION_RE = re.compile(r"(?<![\w@])(?:@[\w.]+(?:@[\w.-]+\w)?|/?u/[\w-]+)")
HASHTAG_RE = re.compile(r"(?<![\w&])#(\w+)")
CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
# v2 hashtag words: a lower-case letter before a capital (NHSWaiting|Times);
# the end of an acronym before a capitalised word (NHS|Waiting); letters before
# digits, except one capital letter that starts a word (road numbers: A14, M25);
# digits before a capital (A14|Roadworks), but not before lower case (2nd, 10am)
HASHTAG_WORDS_RE = re.compile(
    r"(?<=[a-z])(?=[A-Z])"
    r"|(?<=[A-Z]{2})(?=[A-Z][a-z])"
    r"|(?<=[A-Za-z])(?<!(?<![A-Za-z])[A-Z])(?<!(?<=[a-z])[A-Z])(?=\d)"
    r"|(?<=\d)(?=[A-Z])")
HYPHEN_RE = re.compile(r"(?<=\w)[-\u2010\u2011](?=\w)")
MODEL_ID = "spacy-blank-en+lookup-lemmas"


@dataclass(frozen=True)
class Prepared:
    text: str  # cleaned text to tokenise
    hashtags: frozenset[str]  # lower-case hashtag bodies, without '#'


def hashtag_words(body: str) -> str:
    """A hashtag's body as its words: ``NHSWaitingTimes`` -> ``NHS Waiting
    Times``, ``A14Roadworks`` -> ``A14 Roadworks``, ``PotholeHell`` ->
    ``Pothole Hell``, ``Covid19`` -> ``Covid 19``."""
    return HASHTAG_WORDS_RE.sub(" ", body)


def clean(text: str, hashtags: str = "v1") -> Prepared:
    """Decode entities; drop URLs and mentions; unwrap hashtags into their
    words (``hashtags="v2"``: ``hashtag_words``; "v1", the rule of released
    classifier versions, splits at every case change and letter-digit edge:
    ``NHSWaiting Times``, ``A 14 Roadworks``)."""
    split = hashtag_words if hashtags == "v2" else (lambda body: CAMEL_RE.sub(" ", body))
    text = html.unescape(html.unescape(text)) if "&" in text else text
    tags: set[str] = set()
    if "http" in text or "www." in text:
        text = URL_RE.sub(" ", text)
    if "@" in text or "u/" in text:
        text = MENTION_RE.sub(" ", text)
    if "#" in text:

        def unwrap(m: re.Match[str]) -> str:
            tags.add(m[1].lower())
            return " " + split(m[1]) + " "

        text = HASHTAG_RE.sub(unwrap, text)
    if "-" in text or "\u2010" in text or "\u2011" in text:
        text = HYPHEN_RE.sub(" ", text)
    return Prepared(text, frozenset(tags))


@lru_cache(maxsize=1)
def _lemma_table() -> Table:
    from spacy.lookups import load_lookups

    return load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")


@lru_cache(maxsize=1)
def blank_english() -> Language:
    import spacy

    return spacy.blank("en")


@lru_cache(maxsize=1)
def _lemma_dict() -> dict[str, str]:
    """The lookup table as plain strings (spaCy's Table keeps only hashes)."""
    from spacy.util import load_language_data, registry

    data = load_language_data(registry.lookups.get("en")["lemma_lookup"])
    return dict(data) if isinstance(data, dict) else {}


def lemma_forms(found: str, keep_gerunds: bool = False) -> frozenset[str]:
    """Every lower-case string whose ``lemma`` can be ``found`` (a few more
    is harmless): the table's words for it, ``found`` itself and the plural
    rule's forms."""
    forms = {found, found + "s"}
    if found.endswith("y"):
        forms.add(found[:-1] + "ies")
    forms.update(k.lower() for k, v in _lemma_dict().items() if v.lower() == found)
    return frozenset(forms)


_lemma_cache: dict[str, str] = {}
_lemma_ids: dict[bool, dict[int, int]] = {False: {}, True: {}}  # by keep_gerunds


def lemma(lower: str, keep_gerunds: bool = False) -> str:
    """The lookup lemma of a lower-case token, with a plural rule for words
    the table does not know (``binstrikes`` -> ``binstrike``). Cached.

    With ``keep_gerunds`` an ``-ing`` word is its own lemma: the lookup
    table turns parking into park, housing into house, planning into plan
    and lighting into light, which merges distinct public services."""
    found = _lookup_lemma(lower)
    if keep_gerunds and found != lower and lower.endswith("ing"):
        return lower
    return found


def _lookup_lemma(lower: str) -> str:
    hit = _lemma_cache.get(lower)
    if hit is not None:
        return hit
    table = _lemma_table()
    found: str | None = table.get(lower)
    if found is None:
        found = lower
        if len(lower) > 4 and lower.endswith("ies"):
            found = lower[:-3] + "y"
        elif len(lower) > 3 and lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
            found = lower[:-1]
    else:
        found = found.lower()
    if len(_lemma_cache) < 500_000:
        _lemma_cache[lower] = found
    return found


def docs(texts: Iterable[str], batch_size: int = 256, keep_gerunds: bool = False
         ) -> Iterator[Doc]:
    """Tokenised docs of already-cleaned texts, with lemmas set from the lookup."""
    import numpy as np
    from spacy.attrs import LEMMA, LOWER

    nlp = blank_english()
    tokenizer: Any = nlp.tokenizer
    strings = nlp.vocab.strings
    by_lower = _lemma_ids[keep_gerunds]  # lower-case string id -> lemma string id
    for doc in tokenizer.pipe(texts, batch_size=batch_size):
        # lemmas set through arrays of string ids: no Token object per token
        lowers = doc.to_array([LOWER])
        ids = np.empty((len(lowers), 1), dtype=np.uint64)
        for i, lower in enumerate(lowers.tolist()):
            found = by_lower.get(lower)
            if found is None:
                found = strings.add(lemma(strings[lower], keep_gerunds))
                if len(by_lower) < 500_000:
                    by_lower[lower] = found
            ids[i, 0] = found
        if len(ids):
            doc.from_array([LEMMA], ids)
        yield doc


def lemmas(phrase: str, keep_gerunds: bool = True) -> tuple[str, ...]:
    """Lemma sequence of a configured term or phrase (cleaned the same way as
    posts; by default with the current keyword classifier's gerund rule)."""
    doc = next(docs([clean(phrase).text], keep_gerunds=keep_gerunds))
    return tuple(t.lemma_ for t in doc if not t.is_space and not t.is_punct)
