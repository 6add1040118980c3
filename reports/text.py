"""Words and numbers as the report prints them, and @handle masking."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from reports.stats import MIN_COUNT, count_shown

FEWER = "fewer than 10"
SUPPRESSED = "suppressed: fewer than 10 authors"

# Every platform's way of naming a person in a post:
# - @name (X), @user@instance (Mastodon), @name.bsky.social or any domain handle
#   (Bluesky); not e-mail addresses (an @ right after a word character);
# - u/name and /u/name (Reddit), also inside reddit.com/u/name; not r/subreddit.
_MENTION = re.compile(
    r"(?<![\w@.])@(?P<at>[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?"
    r"(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?)"
    r"|(?<![\w])(?P<u>[uU]/)(?P<reddit>[A-Za-z0-9_-]+)")


def normalise_handle(handle: str) -> str:
    return handle.strip().lstrip("@").lower()


def mask_handles(text: str, official: Collection[str]) -> str:
    """The one mention-masking function (reports, the query page and CLI,
    exports, the label export): every platform's mention of a person
    (``@name``, ``@user@instance``, ``@name.bsky.social``, ``u/name``,
    ``/u/name``) becomes ``@[user]`` (``u/[user]`` on Reddit) unless it
    names an allow-listed official account."""
    allowed = {normalise_handle(h) for h in official}

    def repl(match: re.Match[str]) -> str:
        name = match["at"] if match["at"] is not None else match["reddit"]
        if name.lower() in allowed:
            return match[0]
        return "@[user]" if match["at"] is not None else f"{match['u']}[user]"

    return _MENTION.sub(repl, text)


def fmt_count(n: int, authors_ok: bool = True) -> str:
    if n == 0:
        return "none"  # an empty cell discloses nobody, and "fewer than 10" would mislead
    if n < MIN_COUNT:
        return FEWER
    if not count_shown(n, authors_ok):
        return SUPPRESSED
    return f"{n:,}"


def fmt_pct(value: float | None) -> str:
    return FEWER if value is None else f"{value * 100:.0f}%"


def fmt_share(part: int, whole: int, authors_ok: bool = True) -> str:
    """A percentage cell: blank when its count (or base) is under 10, so a
    zero or small count never carries a share; the count cell says why."""
    if not authors_ok:
        return SUPPRESSED
    return f"{part / whole * 100:.0f}%" if count_shown(part) and whole >= MIN_COUNT else ""


def fmt_interval(interval: tuple[float, float] | None) -> str:
    if interval is None:
        return ""
    return f"{interval[0] * 100:.0f}–{interval[1] * 100:.0f}%"


def pct_change(current: float, previous: float) -> str:
    if previous <= 0:
        return "new"
    change = (current - previous) / previous * 100
    return f"{change:+.0f}%"


def words(items: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def plural(n: int, one: str, many: str) -> str:
    """'1 post', '1,204 posts'."""
    return f"{n:,} {one if n == 1 else many}"


# the text filters every report template has, in HTML and in Markdown
TEMPLATE_FILTERS = {"thousands": lambda n: f"{n:,}", "plural": plural, "count": fmt_count,
                    "words": words}
