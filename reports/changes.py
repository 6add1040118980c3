"""What changed behind the week's numbers, in words: configuration versions
that took effect (new topics, terms added or removed), relabels of history,
and, when a week's report is written again, which numbers moved since the
last one and why."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

import yaml

from reports.figures import ConfigChange, Figures
from reports.weeks import Span
from storage.relabels import Relabel
from storage.report_log import WrittenReport

_KINDS = (("terms", "{}"), ("phrases", "{}"), ("hashtags", "#{}"),
          ("exclusions", "exclusion: {}"))
Local = Callable[[str], str]


def topic_specs(config_text: str) -> dict[str, tuple[str, set[str]]]:
    """slug -> (label, terms as shown) of a config text's ``topics`` section."""
    try:
        data: Any = yaml.safe_load(config_text)
    except yaml.YAMLError:
        return {}
    topics = data.get("topics") if isinstance(data, dict) else None
    out: dict[str, tuple[str, set[str]]] = {}
    for slug, spec in (topics.items() if isinstance(topics, dict) else ()):
        spec = spec if isinstance(spec, dict) else {}
        terms = {shape.format(str(term).lstrip("#"))
                 for kind, shape in _KINDS for term in spec.get(kind) or []}
        out[str(slug)] = (str(spec.get("label") or slug), terms)
    return out


def _diff(before_text: str | None, text: str, hash_: str, when: str,
          after_week: bool) -> ConfigChange:
    now = topic_specs(text)
    before = topic_specs(before_text) if before_text is not None else {}
    new_topics = tuple(s for s in now if s not in before) if before_text is not None else ()
    gone = tuple(s for s in before if s not in now)
    pairs_now = {(s, t) for s, (_, ts) in now.items() for t in ts}
    pairs_before = {(s, t) for s, (_, ts) in before.items() for t in ts}
    added = tuple(sorted(p for p in pairs_now - pairs_before if p[0] not in new_topics))
    removed = tuple(sorted(p for p in pairs_before - pairs_now if p[0] not in gone))
    words = []
    if before_text is None:
        words.append(f"The first configuration was recorded on {when}.")
    for slug in new_topics:
        words.append(f"New topic “{now[slug][0]}” added on {when}"
                     f" ({len(now[slug][1])} terms).")
    for slug in gone:
        words.append(f"Topic “{before[slug][0]}” removed on {when}.")
    for label, verb, pairs in (("added to", "Terms", added), ("removed from", "Terms", removed)):
        by_topic: dict[str, list[str]] = {}
        for slug, term in pairs:
            by_topic.setdefault(slug, []).append(term)
        for slug, terms in by_topic.items():
            name = (now.get(slug) or before.get(slug) or (slug, set()))[0]
            words.append(f"{verb} {label} “{name}” on {when}: {', '.join(terms)}.")
    return ConfigChange(config_hash=hash_, loaded_at=when, added=added, removed=removed,
                        first=before_text is None, topics_added=new_topics,
                        topics_removed=gone, after_week=after_week, words=tuple(words))


def _covers(relabel: Relabel, span: Span) -> bool:
    """The relabel labelled this span's posts again."""
    return relabel.since is None or datetime.fromisoformat(relabel.since) < span.end


def changes_in(versions: Sequence[tuple[str, str, str]], span: Span, local: Local,
               relabels: Sequence[Relabel] = ()) -> list[ConfigChange]:
    """Config versions (hash, loaded_at UTC, text; oldest first) that shape
    the week's labels: those loaded within ``span``, and those loaded after
    it that a topic relabel then applied to the span's posts."""
    out: list[ConfigChange] = []
    for k, (config_hash, loaded_at, text) in enumerate(versions):
        moment = datetime.fromisoformat(loaded_at)
        later = moment >= span.end and any(
            r.task == "topic" and r.at >= loaded_at and _covers(r, span) for r in relabels)
        if not (span.start <= moment < span.end or later):
            continue
        out.append(_diff(versions[k - 1][2] if k > 0 else None, text, config_hash,
                         local(loaded_at), later))
    return out


def relabel_words(relabels: Sequence[Relabel], span: Span, local: Local) -> list[str]:
    """Relabels, during or after the week, that labelled its posts again."""
    out = []
    for r in relabels:
        if datetime.fromisoformat(r.at) < span.start or not _covers(r, span):
            continue
        scope = "every post" if r.since is None else f"posts since {local(r.since)}"
        out.append(f"History relabelled on {local(r.at)}: {r.task} labels of {scope} "
                   f"({r.posts:,} posts) were worked out again under config "
                   f"{r.config_hash[:12] or 'not recorded'}; this week's {r.task} figures "
                   "come from that relabel.")
    return out


def weeks_with_changes(versions: Sequence[tuple[str, str, str]],
                       spans: Sequence[Span]) -> list[str]:
    """Labels of the spans in which a config version (after the first) took effect."""
    moments = [datetime.fromisoformat(v[1]) for v in versions[1:]]
    return [s.label for s in spans if any(s.start <= m < s.end for m in moments)]


def digest(fig: Figures, relabels: int = 0) -> dict[str, Any]:
    """The figures a rewritten report is compared on, and how many relabels
    had been recorded when it was written."""
    return {"posts": fig.this.posts, "negative": fig.sentiment.negative,
            "topics": {r.slug: r.posts for r in fig.topics}, "relabels": relabels}


def regenerated(previous: WrittenReport | None, fig: Figures, labels: Mapping[str, str],
                versions: Sequence[tuple[str, str, str]], relabels: Sequence[Relabel],
                local: Local) -> list[str]:
    """Sentences for a report written again: which numbers changed since the
    last report of the week, and the recorded reasons (a config other than
    the one it was written under; relabels recorded since)."""
    if previous is None:
        return []
    now, before = digest(fig, len(relabels)), previous.figures
    moved = []
    if now["posts"] != before.get("posts"):
        moved.append(f"posts {before.get('posts', 0):,} → {now['posts']:,}")
    if now["negative"] != before.get("negative"):
        moved.append(f"negative posts {before.get('negative', 0):,} → {now['negative']:,}")
    old_topics = before.get("topics", {})
    for slug in sorted(set(now["topics"]) | set(old_topics)):
        a, b = old_topics.get(slug, 0), now["topics"].get(slug, 0)
        if a != b:
            moved.append(f"{labels.get(slug, slug)} {a:,} → {b:,}")
    when = local(previous.written_at)
    if not moved:
        return [f"This report replaces the one written on {when}; its figures are unchanged."]
    why = []
    if fig.config_hash and fig.config_hash != previous.config_hash:
        when = next((local(at) for h, at, _ in versions if h == fig.config_hash), "")
        why.append("the configuration changed" + (f" on {when}" if when else "")
                   + f" ({previous.config_hash[:12] or 'not recorded'} → {fig.config_hash[:12]})")
    why += [f"{r.task} labels were relabelled on {local(r.at)}"
            for r in relabels[int(before.get("relabels", len(relabels))):]]
    if now["posts"] != before.get("posts"):
        why.append("posts were collected late or removed since (retention, deletion at "
                   "source, erasure)")
    return [f"This report replaces the one written on {when}, and its numbers changed: "
            + "; ".join(moved) + ".",
            "Why: " + ("; ".join(why) if why else "no recorded cause") + "."]
