"""The body's own conversation in the sample, for the report's "How we
engaged": over the last weeks, the council's own posts on X, Mastodon and
Bluesky, residents' questions and complaints addressed to it (mentions),
residents' replies to its posts, and its answers, most within working hours,
some days later, some never. They are read through own-channel streams
(``x:own-timeline``, ``x:own-mentions``, ``mastodon:own-statuses``,
``mastodon:own-notifications``, ``bluesky:own-feed``,
``bluesky:own-notifications``) in the shapes the own-channel fetches read.

A second seeded generator is used, so the rest of the sample is the same
with or without this part.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from listener.sample import texts
from listener.sample.authors import AuthorPool
from listener.sample.draw import pick
from listener.sample.plan import LONDON, PlannedPost, _when

WEEKS = 6  # this week, last week and the four before: the section's columns
PER_WEEK = {"x": (3, 16, 22), "mastodon": (2, 7, 10), "bluesky": (2, 8, 12)}  # own, asks, replies
BASE_POSTS = 3000  # the sample's size these counts are for (they scale with it)
OWN_STREAMS = {
    "x": ("x:own-timeline", "x:own-mentions"),
    "mastodon": ("mastodon:own-statuses", "mastodon:own-notifications"),
    "bluesky": ("bluesky:own-feed", "bluesky:own-notifications"),
}
ADDRESSED_STREAMS = frozenset(s for _, s in OWN_STREAMS.values())
COUNCIL = {"x": "@ExampleCouncil", "mastodon": "@examplecouncil",
           "bluesky": "@examplecouncil.bsky.social"}
ASK = (" When will this be sorted?", " Any update?", " Still waiting for a reply.",
       " Who do I contact about this?", " How long does this take?",
       " Reported it twice already, nothing.")
REPLIES = {
    "positive": ("Thanks, that's really helpful", "Great news, thank you",
                 "Brilliant, thanks for the update 👍"),
    "neutral": ("Does this apply to {place} too?", "Which days does this cover?",
                "Is there a phone number for this?"),
    "negative": ("Not good enough, this keeps happening", "Useless, same story every week",
                 "Still waiting on the last one, shocking"),
}
ANSWERS = ("Thanks for letting us know, we've passed this to the team.",
           "Sorry about this. Please DM us your address and we'll look into it.",
           "The crew is out today; it should be sorted by the end of the day.",
           "You can report this online and we'll update you within 5 working days.")


def _delay(rng: random.Random) -> timedelta | None:
    """When the council answers: mostly within hours, some a day or days
    later, some never."""
    roll = rng.random()
    if roll < 0.5:
        return timedelta(minutes=20 + int(rng.random() * 180))
    if roll < 0.72:
        return timedelta(hours=20 + int(rng.random() * 10))
    if roll < 0.85:
        return timedelta(days=2 + int(rng.random() * 3))
    return None


def _working_time(moment: datetime) -> datetime:
    """The council posts in office hours: the moment, or the next weekday
    morning when it falls outside 09:00-17:00."""
    local = moment.astimezone(LONDON)
    if local.hour >= 17:
        local = (local + timedelta(days=1)).replace(hour=9, minute=local.minute % 30)
    elif local.hour < 9:
        local = local.replace(hour=9, minute=local.minute % 30)
    while local.weekday() >= 5:
        local = (local + timedelta(days=1)).replace(hour=9)
    return local.astimezone(UTC)


def _answer(out: list[tuple[PlannedPost, int | None]], asked: int, platform: str,
            timeline: str, pool: AuthorPool, end: date, rng: random.Random) -> None:
    """The council's answer to post ``asked``, if it answers before the sample ends."""
    question = out[asked][0]
    delay = _delay(rng)
    answer = _working_time(question.created + delay) if delay is not None else None
    if answer is None or answer.astimezone(LONDON).date() > end:
        return
    handle = question.author.handle.split("@")[0]
    out.append((PlannedPost(answer, platform, timeline, question.topic, "neutral",
                            f"@{handle} {pick(ANSWERS, rng)}", "en", pool.official,
                            kind="reply"), asked))


def plan_engagement(n_posts: int, seed: int, weeks: int, end: date,
                    pools: dict[str, AuthorPool]) -> list[tuple[PlannedPost, int | None]]:
    """(post, index of its parent within this list, or None), oldest first."""
    rng = random.Random(seed * 7919 + 18)
    scale = n_posts / BASE_POSTS
    data = texts.templates()
    topics = texts.topic_slugs()
    out: list[tuple[PlannedPost, int | None]] = []
    first = end - timedelta(days=7 * min(WEEKS, weeks) - 1)
    days = [first + timedelta(days=i) for i in range((end - first).days + 1)]
    for platform, (n_own, n_ask, n_reply) in PER_WEEK.items():
        pool = pools[platform]
        timeline, mentions = OWN_STREAMS[platform]
        council = COUNCIL[platform]
        for week_start in days[::7]:
            week_days = [d for d in days if 0 <= (d - week_start).days < 7]
            own: list[int] = []
            for _ in range(max(1, round(n_own * scale))):
                topic = pick(topics, rng)
                body = texts.fill(pick(data["topics"][topic]["official"], rng), rng)
                weekdays = [d for d in week_days if d.weekday() < 5] or week_days
                when = _working_time(_when(pick(weekdays, rng), rng))
                if when.astimezone(LONDON).date() > end:
                    continue
                out.append((PlannedPost(when, platform, timeline, topic, "neutral", body, "en",
                                        pool.official), None))
                own.append(len(out) - 1)
            for _ in range(max(1, round(n_reply * scale)) if own else 0):
                parent = pick(own, rng)
                tone = pick(("negative", "negative", "neutral", "positive", "positive"), rng)
                body = texts.fill(pick(REPLIES[tone], rng), rng)
                about = out[parent][0].topic  # a reply often tags the post's topic
                if about is not None and rng.random() < 0.7:
                    body += " " + pick(data["topics"][about]["hashtags"], rng)
                when = out[parent][0].created + timedelta(minutes=5 + int(rng.random() * 600))
                if when.astimezone(LONDON).date() > end:
                    continue
                author = pool.authors[int(rng.random() * len(pool.authors))]
                out.append((PlannedPost(when, platform, mentions, about, tone,
                                        f"{council} {body}", "en", author, kind="reply"),
                            parent))
                if tone != "positive" and rng.random() < 0.6:  # the council answers some
                    _answer(out, len(out) - 1, platform, timeline, pool, end, rng)
            for _ in range(max(1, round(n_ask * scale))):
                topic = pick(topics, rng)
                body = texts.fill(pick(data["topics"][topic]["negative"], rng), rng,
                                  tone="negative", council="the council")
                when = _when(pick(week_days, rng), rng)
                author = pool.authors[int(rng.random() * len(pool.authors))]
                out.append((PlannedPost(when, platform, mentions, topic, "negative",
                                        f"{council} {body}{pick(ASK, rng)}", "en", author),
                            None))
                _answer(out, len(out) - 1, platform, timeline, pool, end, rng)
    order = sorted(range(len(out)), key=lambda i: out[i][0].created)
    where = {old: new for new, old in enumerate(order)}
    return [(out[i][0], _moved(where, out[i][1])) for i in order]


def _moved(where: dict[int, int], index: int | None) -> int | None:
    return None if index is None else where[index]

