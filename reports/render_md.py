"""Markdown for e-mail or Teams: the headline, topics, emerging issues,
what changed, coverage and methods. Every value printed is escaped, so
post text cannot become a link, an image, a heading or raw HTML."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from reports.accuracy import METHODS, NOT_MEASURED
from reports.figures import Figures, PostView
from reports.render_html import window_text
from reports.tables import Table, tables
from reports.text import TEMPLATE_FILTERS

_SPECIAL = re.compile(r"([\\`*_{}\[\]|~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")  # only an ampersand that would start an entity
_LEADING = re.compile(r"^(#|[-+*](?=\s)|\d+\.(?=\s))")


class MdSafe(str):
    """Text already written as Markdown (left as it is)."""

    __slots__ = ()


def md_escape(value: Any) -> str:
    if isinstance(value, MdSafe):
        return value
    text = "" if value is None else str(value)
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    text = _LEADING.sub(r"\\\1", _SPECIAL.sub(r"\\\1", text))
    return " ".join(text.replace("\r", "").split("\n"))  # a table cell holds one line


def md_link(url: str | None, label: str) -> MdSafe:
    if not url or not url.startswith(("https://", "http://")) or any(
            c in url for c in " <>()\n"):
        return MdSafe("")
    return MdSafe(f"[{md_escape(label)}](<{url}>)")


def md_commands(text: str) -> MdSafe:
    """Plain text whose `backticked` commands become code spans (the rest
    escaped as usual), as the HTML report shows them."""
    parts = str(text).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: all of it plain text
        return MdSafe(md_escape(text))
    return MdSafe("".join(f"`{p}`" if k % 2 else md_escape(p) for k, p in enumerate(parts)))


def md_table(table: Table, cols: Sequence[int] | None = None) -> MdSafe:
    idx = list(cols) if cols is not None else list(range(len(table.columns)))
    lines = ["| " + " | ".join(md_escape(table.columns[i]) for i in idx) + " |",
             "|" + " --- |" * len(idx)]
    lines += ["| " + " | ".join(md_escape(row[i]) for i in idx) + " |" for row in table.rows]
    if not table.rows:
        lines.append("| None this week. |" + " |" * (len(idx) - 1))
    return MdSafe("\n".join(lines))


def md_post(post: PostView) -> MdSafe:
    """A quote: each line of the post its own line of the block quote, with
    a hard break (a trailing backslash) between them."""
    meta = f"{post.platform}, {post.created}"
    if post.official_handle:
        meta += f", @{post.official_handle.lstrip('@')} (official account)"
    link = md_link(post.url, "original post")
    lines = [md_escape(line) for line in post.text.replace("\r", "").split("\n")]
    body = "\\\n> ".join(line for line in lines if line.strip()) or md_escape(post.text)
    return MdSafe(f"> {body}\n>\n> {md_escape(meta)} {link}".rstrip())


def md_code(text: str) -> MdSafe:
    """A fenced code block, its fence longer than any run of backticks in it."""
    runs = re.findall(r"`+", text)
    fence = "`" * max(3, *(len(r) + 1 for r in runs)) if runs else "```"
    return MdSafe(f"{fence}yaml\n{text.rstrip()}\n{fence}")


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=False,  # noqa: S701 - Markdown, escaped by finalize=md_escape
        finalize=md_escape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["md_table"] = md_table
    env.globals["md_post"] = md_post
    env.filters["md_commands"] = md_commands
    env.globals["md_link"] = md_link
    env.globals["md_code"] = md_code
    env.filters.update(TEMPLATE_FILTERS)
    return env


ENV = _env()


def render_md(fig: Figures) -> str:
    by_name = {t.name: t for t in tables(fig)}
    return ENV.get_template("report.md.j2").render(
        fig=fig, t=by_name, window=window_text(fig), dash=MdSafe("-"),
        accuracy_methods=METHODS, accuracy_not_measured=NOT_MEASURED)
