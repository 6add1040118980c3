"""No stored handle reaches any byte of any report format, links included:
posts are linked by the platform's address that names no account, and not
at all where the platform has none (the methods section says so)."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest

from listener.platforms.registry import post_link
from reports import ReportContext, ReportSettings, write_report
from reports.workhours import WorkingHours
from storage import LabelRecord, Post, Store, StoredItem
from tests.reports.builders import Spec, add, at

HANDLES = ("resident_jane", "resident_bob", "bsky_carol", "asking_ann")


def week(store: Store) -> None:
    def spec(k: int, platform: str, url: str) -> Spec:
        return Spec(when=at("2026-11-17", 9, k % 60), author=f"{platform}{k}", platform=platform,
                    url=url, sentiment="negative", likes=50 - k, native_id=url.rsplit("/")[-1],
                    text=f"Bins not collected again, thanks @{HANDLES[k % 3]} for the photo",
                    topics=[("waste_recycling", ("bin",))])
    add(store, [spec(k, "x", f"https://x.com/resident_jane/status/{1000 + k}")
                for k in range(12)])
    add(store, [spec(20 + k, "mastodon", f"https://mastodon.social/@resident_bob/{2000 + k}")
                for k in range(12)])
    add(store, [spec(40 + k, "bluesky",
                     f"https://bsky.app/profile/bsky_carol.bsky.social/post/3l{k}")
                for k in range(12)])
    # a Reddit comment: its stored permalink names the subreddit and the slug
    add(store, [spec(60 + k, "reddit", f"https://www.reddit.com/user/resident_jane/comments/"
                     f"p{k}") for k in range(12)])


def questions_to_us(store: Store) -> None:
    """'How we engaged': the body's own post with replies, and residents'
    questions to it that wait for an answer, stored under URLs naming them."""
    run = store.runs.start("own:x")
    own = Post("x", "500", "Bins run a day late this week", at("2026-11-16", 9),
               url="https://x.com/ExampleCouncil/status/500", author_key="own",
               author_handle="ExampleCouncil", author_official=True, likes=40)
    asks = [Post("x", str(600 + k), f"@ExampleCouncil when is my bin coming? {k}",
                 at("2026-11-17", 10, k), url=f"https://x.com/asking_ann/status/{600 + k}",
                 author_key=f"ask{k}", in_reply_to="500", addressed=True) for k in range(12)]
    ids = store.collect.save_page(source="own:x", run_id=run, items=[
        StoredItem(p, {"id": p.native_id}) for p in [own, *asks]]).new_ids
    store.labels.save("request", "request.rules", "v1", None, ids[1:], [
        LabelRecord(i, "request", "question", 1.0, "request.rules", "v1") for i in ids[1:]])


def pdf_bytes(path: Path) -> str:
    """The PDF's text, link targets and every stream, inflated."""
    import pypdf

    reader = pypdf.PdfReader(path)
    parts = [page.extract_text() for page in reader.pages]
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None:
                parts.append(str(action.get_object().get("/URI", "")))
    raw = path.read_bytes()
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", raw, flags=re.S):
        try:
            parts.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            parts.append(stream.decode("latin-1"))
    return "\n".join(parts)


def test_no_stored_handle_in_any_report_byte(store: Store, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    week(store)
    questions_to_us(store)
    context = ReportContext(config_hash="c", link=post_link,
                            platform_names={"x": "X", "mastodon": "Mastodon",
                                            "bluesky": "Bluesky"},
                            official_handles=frozenset({"ExampleCouncil"}),
                            working_hours=WorkingHours())
    paths = write_report(store, "2026-W47", settings=ReportSettings(),
                         topic_labels={"waste_recycling": "Bins"},
                         formats=["html", "md", "csv", "json", "pdf"], out_dir=tmp_path,
                         context=context, now=at("2026-11-25"))
    assert {p.suffix for p in paths} == {".html", ".md", ".csv", ".json", ".pdf"}
    for path in paths:
        content = pdf_bytes(path) if path.suffix == ".pdf" else path.read_text(encoding="utf-8")
        for handle in HANDLES:
            assert handle not in content.lower(), (path.name, handle)
    html = next(p for p in paths if p.suffix == ".html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="([^"]+)"', html))
    assert any(link.startswith("https://x.com/i/status/10") for link in links), links
    engaged = html[html.index('id="s-engaged"'):]
    assert "https://x.com/i/status/611" in engaged  # the waiting list, linked without a handle
    assert 'href="https://x.com/i/status/500"' in engaged  # our most-replied post
    unlinked = re.search(r"Posts from ([^.]*) are not linked", html)
    assert unlinked is not None and "Mastodon" in unlinked[1] and "X" not in unlinked[1]
    assert "https://x.com/i/status/" in pdf_bytes(next(p for p in paths if p.suffix == ".pdf"))
