"""The weekly e-mail's body from the Markdown report: a clean plain-text
part (headings underlined, quotes indented, tables as rows, links written
out) and an HTML part (the Markdown rendered by markdown-it-py, raw HTML in
it kept as text). Building the message is ``reports.deliver.build_message``;
sending it is a separate step."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import escape

_MD = MarkdownIt("commonmark", {"html": False}).enable("table")
STYLE = ("body{font-family:Arial,sans-serif;color:#1b1b1b;max-width:48rem;line-height:1.45}"
         "table{border-collapse:collapse;font-size:90%}th,td{border-bottom:1px solid #c8c8c8;"
         "padding:.2rem .4rem;text-align:left;vertical-align:top}"
         "blockquote{border-left:4px solid #1d4f91;margin:.5rem 0;padding:.2rem .8rem;"
         "background:#f3f5f8}h1{font-size:1.4rem}h2{font-size:1.2rem}")


def email_html(markdown: str, title: str) -> str:
    """A small HTML document of the report for the e-mail's HTML part."""
    return (f'<!doctype html><html lang="en-GB"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
            f"{_MD.render(markdown)}</body></html>")


def _inline(token: Token) -> str:
    out, href = [], ""
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type == "softbreak":
            out.append(" ")
        elif child.type == "hardbreak":
            out.append("\n")
        elif child.type == "link_open":
            href = str(child.attrs.get("href", ""))
        elif child.type == "link_close" and href:
            out.append(f" ({href})")
            href = ""
    return "".join(out)


def email_text(markdown: str) -> str:
    """The Markdown report as plain text: no escapes, no markup."""
    lines: list[str] = []
    quote = 0
    row: list[str] = []
    heading = ""
    in_cell = False
    for token in _MD.parse(markdown):
        kind = token.type
        if kind == "heading_open":
            heading = token.tag
        elif kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
            lines.append("")
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            lines.append(" | ".join(row))
        elif kind in ("th_open", "td_open"):
            in_cell = True
        elif kind in ("th_close", "td_close"):
            in_cell = False
        elif kind in ("table_close", "bullet_list_close") or (
                kind == "paragraph_close" and not quote):
            lines.append("")
        elif kind == "inline":
            text = _inline(token)
            if in_cell:
                row.append(text)
            elif heading:
                lines += [text, ("=" if heading == "h1" else "-") * len(text), ""]
                heading = ""
            else:
                lines += ["    " * quote + part for part in text.split("\n")]
        elif kind == "list_item_open":
            lines.append("- ")
    return _tidy(lines)


def _tidy(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        if out and out[-1] == "- " and line:
            out[-1] = "- " + line.lstrip()
            continue
        if line == "" and out and out[-1] == "":
            continue
        out.append(line.rstrip())
    return "\n".join(out).strip() + "\n"
