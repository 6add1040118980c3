"""A public-service lexicon on top of VADER: service-failure words VADER
scores as neutral ("cancelled", "delayed", "overflowing") and phrases it
cannot see at all ("still waiting", "not collected", "third time").

Measured on the shared dev sets (bench/eval_nlp.py): on customer-service
complaints it lifts macro-F1 by about 0.06; on general tweets it costs about
0.01. That is why it ships as its own version (``sentiment.vader`` v2) and the
plain v1 stays available."""

from __future__ import annotations

import re

from nlp.prefilter import guarded

WORDS: dict[str, float] = {
    "cancelled": -1.5, "canceled": -1.5, "delayed": -1.5, "delay": -1.2, "delays": -1.2,
    "overflowing": -1.5, "broken": -1.5, "missed": -1.2, "rude": -2.0,
    "unacceptable": -2.5, "nightmare": -2.5, "useless": -2.0, "ridiculous": -2.0,
    "stranded": -2.0, "lost": -1.5, "shambles": -2.5, "appalling": -2.8, "disgrace": -2.5,
    "fly-tipping": -1.5, "flytipping": -1.5, "pothole": -1.0, "potholes": -1.0,
    "leak": -1.2, "leaking": -1.5, "flooded": -1.5, "overcharged": -2.0, "refund": -0.8,
    "unresolved": -1.5, "stuck": -1.5, "waited": -1.0, "queue": -0.5,
}

_PHRASES = [
    r"still waiting", r"still not", r"not (?:been )?collected",
    r"(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)) time", r"on hold",
    r"no (?:one|response|reply|answer|help)", r"nobody",
    r"(?:hasn'?t|haven'?t|has not|have not|wasn'?t|weren'?t|didn'?t|did not|never) (?:been )?"
    r"(?:fixed|collected|arrived|replied|responded|called|sorted|repaired|answered)",
    r"no show", r"waiting (?:for|on)", r"can'?t get through", r"(?:again|yet again)[!.?]*$",
    r"why (?:is|are|does|do|can'?t|won'?t)",
]
# run only on texts holding a literal a phrase needs (nlp.prefilter: same matches)
PHRASES = guarded("|".join(f"(?:{p})" for p in _PHRASES), re.IGNORECASE)
PHRASE_WEIGHT = 0.3  # subtracted from VADER's compound score per phrase found


def phrase_hits(text: str) -> list[str]:
    return [m.group(0) for m in PHRASES.finditer(text)]
