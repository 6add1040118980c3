"""Questions and complaints addressed to the body: the ``request`` task.

Rules first, pure text in, labels out: zero, one or both of ``question``
and ``complaint`` per post, with the cues that fired as evidence.

- question: a question mark, or a question form ("when will", "any update",
  "how long", "can you", "is there", ...);
- complaint: a complaint cue ("still waiting", "no response", "not good
  enough", "missed", "broken", "again", ...), or a post that addresses an
  account directly (it opens with an @mention) and reads negative (VADER
  compound at or under ``negative_at``), or opens with a direct mention and
  asks "why" / "what gives" / "any answer".

``negative_at`` was chosen by 5-fold cross-validation over the whole of
``complaints_dev.csv`` (``bench/questions.py``; figures in docs/engagement.md).
A trainable head comes through the labelling loop: ``listener label export
--voice to_us``, then ``listener train --task request`` (a ``request.head``
to configure as ``nlp.request_classifier``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlp.registry import BuildContext, Registered, classifier
from nlp.types import Label
from nlp.vader import VaderSentiment, prepare

TASK = "request"
QUESTION, COMPLAINT = "question", "complaint"

_NEG = r"(?:doesn'?t|does not|don'?t|won'?t|can'?t|cannot|couldn'?t|isn'?t|wasn'?t|didn'?t" \
       r"|haven'?t|hasn'?t|not)"
_COMPLAINT_CUES = [
    r"still (?:waiting|not|no|nothing|hasn'?t|haven'?t|isn'?t|can'?t|unable|broken|down)",
    r"been waiting", r"waiting (?:for|since|over)", r"\d+ (?:days|weeks|months) (?:later|now|on)",
    r"no (?:response|reply|answer|one|update|help|service|signal|coverage|broadband|internet"
    r"|wifi|power|heating|water)",
    r"not (?:good enough|working|happy|acceptable|received|arrived|fixed|resolved|impressed"
    r"|collected|emptied|helpful)",
    _NEG + r" (?:work|load|open|let|get|connect|arrive|turn up|show up|come|bother|care|answer)",
    r"(?:haven'?t|hasn'?t|not|never) (?:been )?(?:received|collected|fixed|emptied|replied"
    r"|answered|heard back)",
    r"disgrace\w*", r"disgust\w*", r"appalling", r"terrible", r"awful", r"worst", r"useless",
    r"ridiculous", r"unacceptable", r"pathetic", r"pitiful", r"shocking", r"shambles", r"joke",
    r"waste of", r"fed up", r"sick (?:of|and tired)", r"fix (?:it|this|the)", r"sort (?:it|this)"
    r" out", r"nobody", r"no one", r"again\b", r"every (?:time|week|day)", r"refund",
    r"complain\w*", r"broken", r"cancel+ed", r"delayed", r"missed", r"failed", r"error",
    r"problem", r"wrong", r"unable", r"poor", r"slow", r"charged", r"lost", r"down\b",
    r"days late", r"last time", r"lies\b", r"beware", r"rip(?:ped)? off",
]
_QUESTION_CUES = [
    r"\?", r"when (?:will|is|are|can|do|does)", r"any (?:update|news|idea|answer|word|info)",
    r"how long", r"can (?:you|someone|anyone)", r"could (?:you|someone|anyone)",
    r"is (?:there|it|this)", r"are (?:you|there|the)", r"please (?:advise|confirm|let)",
    r"let (?:me|us) know", r"what gives", r"who (?:do|should|can)",
]
_COMPLAINT = re.compile(r"\b(?:" + "|".join(_COMPLAINT_CUES) + r")", re.IGNORECASE)
_QUESTION = re.compile(r"(?:" + "|".join(
    c if c == r"\?" else r"\b" + c for c in _QUESTION_CUES) + r")", re.IGNORECASE)
_DIRECT = re.compile(r"^\s*(?:@[\w.@-]+[\s,:]*)+\S")  # opens with an @mention
_WHY = re.compile(r"\b(?:why|what gives|any answer|any reply)\b", re.IGNORECASE)


def _cues(pattern: re.Pattern[str], text: str) -> list[str]:
    return list(dict.fromkeys(m.group(0).lower() for m in pattern.finditer(text)))


@classifier("request.rules", "v1", task=TASK)
class RequestRules(Registered):
    """Rules for questions and complaints; a post may be both."""

    negative_at = -0.1  # VADER compound: chosen by cross-validation (module docstring)

    def __init__(self) -> None:
        self.vader = VaderSentiment()
        self.model_id: str | None = self.vader.model_id

    @classmethod
    def from_context(cls, ctx: BuildContext) -> RequestRules:
        return cls()

    def classify(self, texts: Sequence[str]) -> list[list[Label]]:
        out: list[list[Label]] = []
        for text in texts:
            labels: list[Label] = []
            asked = _cues(_QUESTION, text)
            if asked:
                labels.append(Label(TASK, QUESTION, 1.0, self.name, self.version,
                                    self.model_id, tuple(asked)))
            found = _cues(_COMPLAINT, text)
            score = 1.0
            if not found and _DIRECT.match(text):
                compound = float(self.vader.analyzer.polarity_scores(prepare(text))["compound"])
                if compound <= self.negative_at:
                    found, score = ["direct mention, negative"], round(-compound, 4)
                elif _WHY.search(text):
                    found = ["direct mention, " + _WHY.findall(text)[0].lower()]
            if found:
                labels.append(Label(TASK, COMPLAINT, score, self.name, self.version,
                                    self.model_id, tuple(found)))
            out.append(labels)
        return out
