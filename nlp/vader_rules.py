"""``sentiment.vader`` v3-v8: VADER with the public-service lexicon (v2) plus
one hand-written rule each, so that every rule's effect is measured on its
own (docs/nlp.md, bench/eval_nlp.py):

- v3: emoji with a clear sign scored (``sentiment_cues.EMOJI``);
- v4: v3 + sarcasm: praise beside a complaint, and ironic phrases, read negative;
- v5: v4 + notices (lost and found, events, council news) damped towards
  neutral, and "looks like"/"feels like" no longer read as liking;
- v6: v5 + how long it has gone on ("day 4 of", "for 3 hours", "never again");
- v7: v6 + a question is not praise (half of a positive score kept);
- v8: v7 + looking forward ("can't wait", "looking forward") reads positive.

Model card. No weights are learned from data: the cues are written by hand
(sources in ``nlp.sentiment_cues``). The rule weights were set by hand
(SARCASM_WEIGHT, NOTICE_DAMP) or picked from three values tried
(QUESTION_DAMP: 0, 0.25, 0.5); the two thresholds of each version were
chosen by 5-fold cross-validation over the whole of two development sets
used for evaluation only (TweetEval sentiment, SemEval-2017 terms;
Twitter US Airline Sentiment, CC BY-NC-SA 4.0); nothing from them ships.
VADER itself is MIT-licensed.
"""

from __future__ import annotations

from nlp import sentiment_cues as cues
from nlp import service_lexicon
from nlp.registry import BuildContext, classifier
from nlp.vader import ServiceVaderSentiment, prepare

SARCASM_WEIGHT = 0.5  # an ironic post scores at most this far below zero
NOTICE_DAMP = 0.2  # a notice keeps a fifth of its score
QUESTION_DAMP = 0.5  # a question keeps half of a positive score
FORWARD_WEIGHT = 0.5  # added per "can't wait" / "looking forward"


@classifier("sentiment.vader", "v3", task="sentiment")
class EmojiVaderSentiment(ServiceVaderSentiment):
    """v2 + emoji with a clear sign (🤬 🙄 💀 🤦 😡 👎 / 👍 🙏 👏 ...)."""

    negative_at = -0.05  # thresholds chosen by cross-validation; later versions
    positive_at = 0.45  # inherit them unless they say otherwise
    rule_id = "emoji-1"  # each version's rule, joined into the model id

    def __init__(self) -> None:
        super().__init__()
        for i, (emoji, valence) in enumerate(cues.EMOJI.items()):
            token = f"emojicue{i}"
            self.analyzer.emojis[emoji] = f"{token} "
            self.analyzer.lexicon[token] = valence
        rules = [c.__dict__["rule_id"] for c in reversed(type(self).__mro__)
                 if "rule_id" in c.__dict__]
        self.model_id = "+".join([str(self.model_id), *rules])

    @classmethod
    def from_context(cls, ctx: BuildContext) -> EmojiVaderSentiment:
        return cls()


@classifier("sentiment.vader", "v4", task="sentiment")
class SarcasmVaderSentiment(EmojiVaderSentiment):
    """v3 + sarcasm: "...Brilliant.", "Great job. Still waiting", "Love that for me"."""

    rule_id = "sarcasm-1"

    def compound(self, text: str) -> float:
        text = prepare(text)
        if cues.IRONIC.search(text):
            return max(-1.0, min(super().compound(cues.IRONIC.sub(" ", text)), 0.0)
                       - SARCASM_WEIGHT)
        found = cues.praise_after_complaint(text)
        if found:
            return max(-1.0, min(super().compound(found[1]), 0.0) - SARCASM_WEIGHT)
        return super().compound(text)


@classifier("sentiment.vader", "v5", task="sentiment")
class NoticeVaderSentiment(SarcasmVaderSentiment):
    """v4 + notices read neutral, and "looks like" is not liking."""

    rule_id = "notices-1"

    def compound(self, text: str) -> float:
        text = cues.COMPARISON.sub(r"\1", prepare(text))
        score = super().compound(text)
        return score * NOTICE_DAMP if cues.is_notice(text) else score


@classifier("sentiment.vader", "v6", task="sentiment")
class WaitingVaderSentiment(NoticeVaderSentiment):
    """v5 + how long it has gone on ("day 4 of", "for 3 hours", "never again")."""

    rule_id = "waiting-1"

    def compound(self, text: str) -> float:
        hits = len(cues.WAITING.findall(prepare(text)))
        return max(-1.0, super().compound(text) - service_lexicon.PHRASE_WEIGHT * hits)


@classifier("sentiment.vader", "v7", task="sentiment")
class QuestionVaderSentiment(WaitingVaderSentiment):
    """v6 + a question is not praise: a post that asks something keeps half of
    a positive score ("@council any chance you could fix the light please?")."""

    positive_at = 0.4
    rule_id = "questions-1"

    def compound(self, text: str) -> float:
        score = super().compound(text)
        return score * QUESTION_DAMP if score > 0 and "?" in prepare(text) else score


@classifier("sentiment.vader", "v8", task="sentiment")
class ForwardVaderSentiment(QuestionVaderSentiment):
    """v7 + "can't wait", "looking forward", "so proud" read positive (VADER
    reads "can't wait" as a negated word with no score)."""

    rule_id = "forward-1"

    def compound(self, text: str) -> float:
        text = prepare(text)
        hits = len(cues.LOOKING_FORWARD.findall(text))
        if hits:
            text = cues.LOOKING_FORWARD.sub(" ", text)
        return min(1.0, super().compound(text) + FORWARD_WEIGHT * hits)
