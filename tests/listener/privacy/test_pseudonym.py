"""Authors become keyed pseudonyms; the key never lives in the database."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from listener.privacy.pseudonym import Pseudonymiser, PseudonymKeyError, load_key
from listener.privacy.settings import PrivacySettings
from storage import Post


def settings(tmp_path: Path, **kw: object) -> PrivacySettings:
    return PrivacySettings(key_env="TEST_PSEUDO_KEY", key_file=str(tmp_path / "k" / "p.key"),
                           **kw)  # type: ignore[arg-type]


def test_key_file_is_generated_once_with_owner_only_permissions(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEST_PSEUDO_KEY", raising=False)
    first = load_key(settings(tmp_path), tmp_path)
    path = tmp_path / "k" / "p.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_key(settings(tmp_path), tmp_path) == first


def test_environment_key_wins_over_the_file(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_PSEUDO_KEY", "a-long-enough-secret-key")
    assert load_key(settings(tmp_path), tmp_path) == b"a-long-enough-secret-key"
    assert not (tmp_path / "k" / "p.key").exists()


def test_key_file_readable_by_others_is_refused(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEST_PSEUDO_KEY", raising=False)
    load_key(settings(tmp_path), tmp_path)
    os.chmod(tmp_path / "k" / "p.key", 0o644)
    with pytest.raises(PseudonymKeyError, match="chmod 600"):
        load_key(settings(tmp_path), tmp_path)


def test_pseudonym_is_stable_keyed_and_hides_the_handle() -> None:
    one = Pseudonymiser(b"k" * 32)
    other = Pseudonymiser(b"j" * 32)
    assert one.pseudonym("x", "@Alice") == one.pseudonym("x", "alice")
    assert one.pseudonym("x", "alice") != one.pseudonym("reddit", "alice")
    assert one.pseudonym("x", "alice") != other.pseudonym("x", "alice")
    assert "alice" not in one.pseudonym("x", "alice")
    assert "k" * 32 not in repr(one)


def test_only_allow_listed_official_accounts_keep_their_handle() -> None:
    official = PrivacySettings(official_accounts=["x:ExampleCouncil"]).official_set()
    p = Pseudonymiser(b"k" * 32, official)
    when = datetime(2026, 11, 1, tzinfo=UTC)
    council = p.apply(Post("x", "1", "Bins on Monday", when, author_handle="examplecouncil"))
    person = p.apply(Post("x", "2", "Bins again", when, author_handle="alice"))
    assert (council.author_handle, council.author_official) == ("examplecouncil", True)
    assert (person.author_handle, person.author_official) == (None, False)
    assert person.author_key == p.pseudonym("x", "alice")


def test_remembered_pseudonyms_are_the_keyed_ones_and_memory_is_bounded(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import listener.privacy.pseudonym as module

    monkeypatch.setattr(module, "_REMEMBERED", 3)
    cached = Pseudonymiser(b"k" * 32)
    handles = [("x", "alice"), ("reddit", "alice"), ("x", "@Alice"), ("x", "bob"),
               ("mastodon", "carol@town.example"), ("x", "alice"), ("reddit", "alice")]
    for platform, handle in handles * 2:
        fresh = Pseudonymiser(b"k" * 32).pseudonym(platform, handle)
        assert cached.pseudonym(platform, handle) == fresh
        assert len(cached._seen) <= 3
