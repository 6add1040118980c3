"""The narrative headline: two or three sentences from templates, every
number in them a figure the report also prints (``Sentence.facts`` says
which), and "beyond noise" only where Newcombe's interval for the
difference of two shares excludes zero."""

from __future__ import annotations

from nlp.estimate.difference import newcombe
from reports.figures import Figures, Sentence, Story, TopicRow
from reports.stats import count_shown, share
from reports.text import fmt_count, fmt_pct

NOISE = {True: "a change beyond week-to-week noise", False: "within week-to-week noise"}


def _change(subject: str, before: str, now: str, rising: bool | None) -> str:
    """'posts rose from 28 to 100'; 'posts stayed at 28' when unchanged."""
    if rising is None or before == now:
        return f"{subject} stayed at {now}"
    return f"{subject} {'rose' if rising else 'fell'} from {before} to {now}"


def _rising(now: float, before: float) -> bool | None:
    return None if now == before else now > before


def _negative_share(row: TopicRow) -> float | None:
    if not (row.sentiment_ok[0] and count_shown(row.posts, row.authors_ok)):
        return None
    return share(row.sentiment.negative, row.sentiment.classified)


def story_sentence(fig: Figures, story: Story) -> Sentence:
    flag = story.lead.flag
    row = next(r for r in fig.topics if r.slug == flag.slug)
    key = f"topics.{row.slug}"
    if flag.term is not None:
        now = fmt_count(flag.current)
        usual = f"{flag.baseline_mean:,.0f}"
        return Sentence(
            f"The week's main story is the term “{flag.term}” under {row.label}: "
            f"{now} posts against a usual {usual} a week.",
            ((f"emerging.{row.slug}.{flag.term}.current", now),
             (f"emerging.{row.slug}.{flag.term}.baseline_mean", usual)))
    now, before = fmt_count(row.posts, row.authors_ok), fmt_count(row.previous, row.previous_ok)
    facts = [(f"{key}.previous", before), (f"{key}.posts", now)]
    text = (f"The week was dominated by {row.label}: "
            + _change("posts", before, now, _rising(row.posts, row.previous)))
    negative = _negative_share(row)
    if negative is not None:
        facts.append((f"{key}.negative_share", fmt_pct(negative)))
        text += f", and {fmt_pct(negative)} were negative"
    spill = [s.flag.label for s in story.others]
    if spill:
        text += (f"; the rise in {' and '.join(spill)} came from the same posts")
    return Sentence(text + ".", tuple(facts))


def busiest_sentence(fig: Figures) -> Sentence | None:
    rows = [r for r in fig.topics if count_shown(r.posts, r.authors_ok)]
    if not rows:
        return None
    row = rows[0]
    now = fmt_count(row.posts)
    return Sentence(f"No topic rose beyond its usual range this week; the busiest was "
                    f"{row.label}, with {now} posts.", ((f"topics.{row.slug}.posts", now),))


def overall_sentence(fig: Figures) -> Sentence:
    now_ok, before_ok = fig.this.authors >= 10, fig.previous.authors >= 10
    now, before = fmt_count(fig.this.posts, now_ok), fmt_count(fig.previous.posts, before_ok)
    facts = [("previous.posts", before), ("this.posts", now)]
    text = _change("Posts overall", before, now, _rising(fig.this.posts, fig.previous.posts))
    s, p = fig.sentiment, fig.sentiment_previous
    a, b = share(s.negative, s.classified), share(p.negative, p.classified)
    if fig.sentiment_ok[0] and a is not None and b is not None:
        diff = newcombe(s.negative, s.classified, p.negative, p.classified)
        beyond = diff is not None and diff.beyond_noise
        facts += [("sentiment_previous.negative_share", fmt_pct(b)),
                  ("sentiment.negative_share", fmt_pct(a))]
        text += "; " + _change("the negative share", fmt_pct(b), fmt_pct(a),
                               _rising(a, b)) + f", {NOISE[beyond]}"
    return Sentence(text + ".", tuple(facts))


def mover_sentence(fig: Figures, skip: set[str]) -> Sentence | None:
    """The topic (outside the story) whose negative share moved most, when
    the move is beyond noise."""
    best: tuple[float, TopicRow, float, float] | None = None
    for row in fig.topics:
        prev = fig.topic_previous_split.get(row.slug)
        a = _negative_share(row)
        if row.slug in skip or prev is None or a is None or not row.previous_ok:
            continue
        b = share(prev.negative, prev.classified)
        diff = newcombe(row.sentiment.negative, row.sentiment.classified, prev.negative,
                        prev.classified)
        if b is None or diff is None or not diff.beyond_noise:
            continue
        if best is None or abs(diff.value) > best[0]:
            best = (abs(diff.value), row, a, b)
    if best is None:
        return None
    _, row, a, b = best
    return Sentence(
        _change(f"Negative share on {row.label}", fmt_pct(b), fmt_pct(a), _rising(a, b))
        + f", {NOISE[True]}.",
        ((f"topic_previous_split.{row.slug}.negative_share", fmt_pct(b)),
         (f"topics.{row.slug}.negative_share", fmt_pct(a))))


def narrative(fig: Figures) -> list[Sentence]:
    story = fig.stories[0] if fig.stories else None
    first = story_sentence(fig, story) if story else busiest_sentence(fig)
    told = {story.lead.flag.slug, *(s.flag.slug for s in story.others)} if story else set()
    out = [s for s in (first, overall_sentence(fig), mover_sentence(fig, told)) if s]
    return out[:3]
