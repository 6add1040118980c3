"""``listener compliance``: Markdown drafts of a record of processing
(UK GDPR Art. 30) and of a privacy-notice section, from config.yaml.

They are drafts for the data protection officer: every governance field left
blank is shown as **TO COMPLETE**, and the facts the software fixes (fields
kept, retention, pseudonymisation, rights and how they are served) are
written from the running configuration, so the paperwork cannot drift from
what the service does. What each source collects, the fields kept per
platform and where each platform is operated come from the platform
registry. The output is deterministic (no dates) so a committed copy can be
checked against its config. The text is in
``listener/privacy/templates/*.md.j2``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from listener.config import Settings
from listener.platforms.registry import platform
from listener.privacy.minimise import PURPOSE_OF_FIELDS, allowed_fields
from reports.stats import MIN_COUNT

TODO = "**TO COMPLETE**"

DRAFTS = ("record-of-processing.md", "privacy-notice-section.md")


def _todo(value: str) -> str:
    return value.strip() or TODO


def _cell(value: str) -> str:
    """Safe inside a Markdown table cell: no pipe, no line break."""
    return " ".join(str(value).split()).replace("|", "\\|")


# Markdown, not HTML: escaping applies to HTML templates only (there are none
# here); in Markdown it would turn quotes and ampersands into entities.
_env = Environment(loader=PackageLoader("listener.privacy", "templates"),
                   autoescape=select_autoescape(["html", "xml"]), undefined=StrictUndefined,
                   keep_trailing_newline=True)
_env.filters.update(todo=_todo, cell=_cell)


def _sources(settings: Settings) -> list[dict[str, str]]:
    rows = []
    for name, cfg in settings.all_sources().items():
        values = {k: ", ".join(f"`{x}`" for x in v) if isinstance(v, list) else v
                  for k, v in cfg.model_dump().items()}
        entry = platform(cfg.type)
        own = entry.own_channel if name in settings.engagement.sources() else None
        rows.append({
            "name": name, "type": cfg.type,
            "kind": "live" if entry.live else "offline",
            "state": "enabled" if cfg.enabled else "configured, disabled",
            "described": (own.collects if own is not None else entry.collects).format(**values),
        })
    return rows


def _context(settings: Settings) -> dict[str, Any]:
    g, p = settings.governance, settings.privacy
    non_offline = [cfg for cfg in settings.all_sources().values() if platform(cfg.type).live]
    reached = [platform(t) for t in dict.fromkeys(cfg.type for cfg in non_offline)]
    return {
        "g": g, "p": p, "sync": p.deletion_sync, "TODO": TODO,
        # the smallest group any output shows: the query tools use
        # min_group_size, the weekly report its own floor of MIN_COUNT
        "floor": min(p.min_group_size, MIN_COUNT),
        "recipients": ", ".join(g.recipients) or TODO,
        "officials": ", ".join(f"`{a}`" for a in p.official_accounts) or "none",
        "sources": _sources(settings),
        "allowed": allowed_fields(), "purpose_of_fields": PURPOSE_OF_FIELDS,
        "platforms": ", ".join(sorted((e.name for e in reached), key=str.casefold)),
        "transfers": "; ".join(f"{e.name}: {e.hosted}" for e in reached if e.hosted)
                     or "none of the configured sources",
        "live": any(cfg.enabled for cfg in non_offline),
    }


def render(settings: Settings, name: str) -> str:
    return _env.get_template(f"{name}.j2").render(_context(settings))


def record_of_processing(settings: Settings) -> str:
    return render(settings, "record-of-processing.md")


def privacy_notice_section(settings: Settings) -> str:
    return render(settings, "privacy-notice-section.md")


def write_drafts(settings: Settings, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in DRAFTS:
        path = out_dir / name
        path.write_text(render(settings, name), encoding="utf-8")
        written.append(path)
    return written
