"""The words and two-word phrases of posts, as discovery counts them.

One tokenisation serves theme keywords (c-TF-IDF), bursting terms and the
proposed topic terms, so a term in a suggestion is a term that was counted.
Posts are cleaned as for keyword topics (``textprep.clean``: entities
decoded, links and handles removed, hashtags unwrapped, hyphens split),
split into words by a regular expression (about 9x faster than spaCy's
tokenizer here, which matters at 100,000 posts a week) and reduced to the
same lookup lemmas as keyword topics, with the gerund rule of
``topics.keywords`` v2 (``parking`` stays ``parking``). A term is a lemma
with at least two characters, one of them a letter, that is not an
English stop word (spaCy's list, contractions such as "don't", and some
Twitter debris); a phrase is two such terms next to each other in the post
(no stop word or punctuation between them), so "street light not working" gives
``street``, ``light``, ``working`` and ``street light``. Each post
contributes each of its terms once.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

from nlp import textprep

# Names this tokenisation where its counts are kept (``storage.term_counts``):
# change it whenever a change here would count a post's terms differently.
TOKENISER = "terms.v1"

# Twitter debris and apostrophe-less contractions, on top of spaCy's stop words.
EXTRA_STOP_WORDS = frozenset({
    "amp", "rt", "via", "http", "https", "www", "com", "pls", "plz", "pl", "u", "ur", "im",
    "ive", "id", "ill", "dont", "cant", "wont", "isnt", "didnt", "doesnt", "wasnt", "arent",
    "couldnt", "shouldnt", "wouldnt", "thats", "theres", "whats", "youre", "lets", "gonna",
})
# words, or runs of punctuation (which end a phrase)
TOKEN_RE = re.compile(r"\w+(?:[&'\u2019]\w+)*|[^\w\s]+")
CONTRACTION_RE = re.compile(r"['\u2019](?:s|t|m|re|ve|ll|d)$")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | EXTRA_STOP_WORDS


def word_term(word: str, stops: frozenset[str]) -> str | None:
    """The term a lower-case word counts as, or None for a stop word,
    a number or a contraction ("council's" counts as council)."""
    if "'" in word or "\u2019" in word:
        if word.endswith(("'s", "\u2019s")):
            word = word[:-2]
        elif CONTRACTION_RE.search(word):
            return None
    if len(word) < 2 or word in stops or not any(c.isalpha() for c in word):
        return None
    lemma = textprep.lemma(word, keep_gerunds=True)
    return lemma if len(lemma) >= 2 and lemma not in stops else None


def terms_of(text: str, phrases: bool = True) -> list[str]:
    """One post's distinct terms (and two-word phrases), in order of first use."""
    stops = stop_words()
    found: dict[str, None] = {}
    previous: str | None = None
    for word in TOKEN_RE.findall(textprep.clean(text).text.lower()):
        term = word_term(word, stops) if word[0].isalnum() or word[0] == "_" else None
        if term is not None:
            found[term] = None
            if phrases and previous is not None and previous != term:
                found[f"{previous} {term}"] = None
        previous = term
    return list(found)


def post_terms(texts: Iterable[str], phrases: bool = True) -> list[list[str]]:
    """Each post's distinct terms (and two-word phrases), in order of first use."""
    return [terms_of(t, phrases) for t in texts]


def document_frequencies(terms_per_post: Iterable[Sequence[str]], min_df: int = 1
                         ) -> Counter[str]:
    """How many posts use each term, keeping terms used by ``min_df`` or more."""
    counts: Counter[str] = Counter()
    for terms in terms_per_post:
        counts.update(terms)
    if min_df > 1:
        return Counter({t: n for t, n in counts.items() if n >= min_df})
    return counts


def term_counts(texts: Iterable[str], min_df: int = 2, phrases: bool = True) -> Counter[str]:
    """Posts per term for one period: what ``bursting_terms`` takes per period.

    Terms used by fewer than ``min_df`` posts are left out (most of a
    period's vocabulary is used once); a term needs far more posts than that
    to burst, so nothing that could burst is lost."""
    return document_frequencies(post_terms(texts, phrases=phrases), min_df)
