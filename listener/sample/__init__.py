"""The embedded sample: a seeded, realistic set of posts about UK public
services, written as each platform's real payloads and replayed through the
same normalisers the live sources use. No credentials, no network."""

from __future__ import annotations

from listener.sample.pages import SAMPLE_END, SAMPLE_POSTS, SAMPLE_WEEKS, generate_pages

__all__ = ["SAMPLE_END", "SAMPLE_POSTS", "SAMPLE_WEEKS", "generate_pages"]
