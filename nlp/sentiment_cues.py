"""Cues VADER misreads in posts to and about public services, written by hand
(no weights learned from any data set). Each is used by its own
``sentiment.vader`` version (v3 emoji, v4 sarcasm, v5 notices, v6 waiting);
docs/nlp.md has the measured effect of each.

- EMOJI: emoji with a clear sign. VADER scores an emoji by the words of its
  Unicode name, so the ones whose names carry no sentiment word ("face with
  symbols on mouth", "face with rolling eyes", "skull", "person
  facepalming", "thumbs up", "folded hands") score 0. Valences are on
  VADER's -4..+4 scale, signs as in the Emoji Sentiment Ranking (Kralj
  Novak, Smailovic, Sluban & Mozetic, PLoS ONE 2015), strengths by hand.
- SARCASM: praise that follows a complaint ("Bins left again... Brilliant.",
  "Great job. Still no collection") or is ironic whatever comes before
  ("Love that for me", "Thanks for nothing").
- NOTICE: lost and found, event listings and council news: information, not
  opinion ("Missing grey wallet, reward if found" is not positive).
- COMPARISON: "looks like", "feels like": VADER reads "like" as liking.
- WAITING: how long something has been going on ("day 4 of", "for 3 hours",
  "after 10hrs", "never again", "where is my", "#...sucks").
- LOOKING_FORWARD: eagerness VADER cannot see ("can't wait" reads as a
  negated "wait", which has no score), "looking forward", "so proud".

The expressions are ``nlp.prefilter.Guarded``: each runs only on texts that
hold one of the literals its matches need (the same matches; most posts
trigger no rule, and finding nothing was most of the rules' cost).
"""

from __future__ import annotations

import re

from nlp.prefilter import guarded

EMOJI: dict[str, float] = {
    # negative
    "\U0001f92c": -3.2, "\U0001f621": -2.9, "\U0001f620": -2.5, "\U0001f624": -1.9,
    "\U0001f644": -1.8, "\U0001f480": -1.5, "\U0001f926": -2.0, "\U0001f612": -1.8,
    "\U0001f44e": -2.0, "\U0001f595": -3.0, "\U0001f92e": -2.5, "\U0001f922": -2.2,
    "\U0001f4a9": -2.0, "\U0001f62b": -1.9, "\U0001f616": -1.9, "\U0001f623": -1.6,
    "\U0001f61e": -1.9, "\U0001f614": -1.5, "\U0001f61f": -1.5, "\U0001f611": -1.0,
    "\U0001f643": -1.0, "\U0001f615": -1.2, "\U0001f629": -2.0, "\U0001f62a": -1.0,
    "\U0001f92f": -1.5, "\U0001f625": -1.6, "\U0001f630": -1.8, "\U0001f631": -2.0,
    "\U0001f494": -2.5, "\U0001f6ab": -1.2, "\u274c": -1.2,
    # positive
    "\U0001f44d": 1.9, "\U0001f64f": 1.6, "\U0001f44f": 1.8, "\U0001f64c": 2.0,
    "\U0001f4aa": 1.5, "\U0001f600": 2.0, "\U0001f601": 2.0, "\U0001f603": 2.2,
    "\U0001f604": 2.2, "\U0001f970": 2.6, "\U0001f4af": 1.6, "\u2728": 1.0,
    "\U0001f31f": 1.5, "\u2b50": 1.2, "\U0001f973": 2.5, "\U0001f929": 2.5,
    "\U0001f60e": 1.5, "\U0001f44c": 1.5, "\U0001f499": 2.0, "\U0001f49a": 2.0,
    "\U0001f49b": 2.0, "\U0001f49c": 2.0, "\U0001f9e1": 2.0, "\U0001f496": 2.2,
    "\U0001f495": 2.2, "\U0001f497": 2.2, "\U0001f493": 2.0, "\U0001f49e": 2.2,
    "\U0001f618": 2.2, "\U0001f917": 2.0, "\U0001f389": 2.0, "\U0001f60d": 2.6,
    "\u2705": 1.0,
}

_PRAISE = (r"brilliant|great|fantastic|lovely|perfect|marvell?ous|wonderful|superb|"
           r"excellent|nice(?: one)?|great (?:job|work|stuff)|good (?:job|work)|well done|"
           r"cheers|thanks|thank you|amazing|awesome|classic|love it|top work|"
           r"outstanding|genius|fab(?:ulous)?|smashing|cracking|spot on|"
           r"five stars|10/10")
# a sentence that is nothing but praise: "Brilliant." "Great job, council!"
PRAISE_ONLY = guarded(
    rf"^\W*(?:(?:oh|yeah|well|just|really|so|absolutely|truly)\s+)*(?:{_PRAISE})"
    r"(?:\s+(?:again|guys|all|everyone|team|council|lads|folks|as always|as usual))*\W*$",
    re.IGNORECASE)
IRONIC = guarded(
    r"love (?:that|this) for (?:me|us)|thanks? for nothing|cheers for nothing|"
    r"said no one ever|just what (?:i|we) needed|oh (?:great|joy|wonderful|brilliant|lovely)|"
    r"yeah right|thanks a bunch|what could (?:possibly )?go wrong|"
    r"so glad (?:i|we) pay|money well spent|(?:great|fantastic) service(?: as always)?\W*$",
    re.IGNORECASE)
COMPLAINT = re.compile(
    r"\b(?:not|no|never|still|again|nobody|none|left|missed|late|broken|waiting|yet|"
    r"cancell?ed|delayed|overflowing|strike)\b|n't\b|\.\.\.|\u2026",
    re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?\u2026])\s+|\n+")

NOTICE = guarded(
    r"\b(?:lost|missing|found|stolen)\b[^.!?]{0,40}\b(?:wallet|purse|keys?|phone|dog|cat|"
    r"bag|bike|ring|glasses|card|umbrella|jacket|coat|watch|puppy|kitten|parrot)\b|"
    r"\b(?:reward if found|if found|handed in|has anyone (?:seen|found)|please share)\b|"
    r"\b(?:consultation|road closure|roadworks|planning application|agenda|"
    r"council meeting|committee meets?|public notice|opening hours|will be closed|"
    r"diversion|timetable|polling station|nominations|applications? (?:open|close)|"
    r"deadline|bank holiday collections?)\b",
    re.IGNORECASE)
EVENT = guarded(
    r"\b(?:join us|book (?:now|your|a place|tickets)|tickets?|free entry|all welcome|"
    r"drop[- ]in|taking place|will be held|meets|meeting|starts at|doors open|"
    r"open day|workshop|come along|line[- ]?up|live at|performing)\b", re.IGNORECASE)
WHEN = guarded(
    r"\b(?:\d{1,2}(?::\d\d)?\s?(?:am|pm)|(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
    r"tomorrow|tonight|this (?:week|weekend)|\d{1,2}(?:st|nd|rd|th))\b", re.IGNORECASE)
OPINION = guarded(r"!|\b(?:i|i'm|my|me)\b", re.IGNORECASE)

COMPARISON = guarded(r"\b((?:look|feel|seem|sound|smell|taste)(?:s|ed|ing)?) like\b",
                        re.IGNORECASE)

WAITING = guarded(
    r"\bday \d+ of\b|\b(?:for|after|over) (?:over |about |nearly |almost )?\d+\+? ?"
    r"(?:hours?|hrs?|h|minutes|mins|days|weeks|months)\b|"
    r"\b(?:\d+|two|three|four|five|six|several|many) (?:hours?|hrs|days|weeks|months) "
    r"(?:later|now|and|trying|waiting|on)\b|\bnever again\b|"
    r"\bnever (?:call(?:ed)?|rang|got|get|replied|heard) back\b|"
    r"\bwhere(?:'s| is| are) (?:my|our|the)\b|"
    r"#\w*(?:sucks|fail|fails|shambles)\b",
    re.IGNORECASE)

LOOKING_FORWARD = guarded(
    r"\b(?:can'?t|cannot|can\u2019t) wait\b|\blooking forward\b|\bshout ?out\b|\bso proud\b",
    re.IGNORECASE)


def is_notice(text: str) -> bool:
    """Lost and found, council news, or an event listing with a date or time
    (an event post that says how its writer feels is not a notice)."""
    if NOTICE.search(text):
        return True
    return bool(EVENT.search(text) and WHEN.search(text) and not OPINION.search(text))


def praise_after_complaint(text: str) -> tuple[str, str] | None:
    """(the praise sentence, the rest) when a sentence of pure praise sits
    beside a complaint; None otherwise."""
    if not PRAISE_ONLY.possible(text):  # no praise word anywhere: no sentence of praise
        return None
    sentences = [s for s in SENTENCE_END.split(text.strip()) if s.strip()]
    if len(sentences) < 2:
        return None
    for i in (len(sentences) - 1, 0):
        if PRAISE_ONLY.match(sentences[i]):
            rest = " ".join(sentences[:i] + sentences[i + 1:])
            if COMPLAINT.search(rest):
                return sentences[i], rest
    return None
