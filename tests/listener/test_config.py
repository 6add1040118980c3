"""Config validation names the file, the line and the key."""

from __future__ import annotations

import pytest

from listener.config import ConfigError, load_settings, parse_settings
from tests.paths import ROOT

REPO = ROOT


def problems_of(text: str, **kwargs: bool) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_settings(text, "conf.yaml", **kwargs)
    return [str(p) for p in info.value.problems]


def test_repository_config_is_valid_without_credentials() -> None:
    settings = load_settings(REPO / "config.yaml")
    assert len(settings.topics) >= 15
    assert settings.sources["sample"].enabled
    live = [n for n, c in settings.sources.items() if c.type != "sample"]
    assert {settings.sources[n].type for n in live} >= {"x", "reddit", "mastodon", "bluesky", "rss"}
    assert not any(settings.sources[n].enabled for n in live)


def test_misspelt_key_names_file_line_and_suggestion() -> None:
    text = ("storage:\n  path: a.db\nsources:\n  sample:\n    type: sample\n"
            "    intervall_minutes: 5\n")
    assert problems_of(text) == [
        "conf.yaml:6: sources.sample.intervall_minutes: unknown key 'intervall_minutes'; "
        "did you mean 'interval_minutes'?"
    ]


def test_misspelt_top_level_section_and_topic_key() -> None:
    text = "reprots:\n  out_dir: x\ntopics:\n  bins:\n    label: Bins\n    terms: [bin]\n" \
           "    exclusion: [x]\n"
    found = problems_of(text)
    assert "conf.yaml:1: reprots: unknown key 'reprots'; did you mean 'reports'?" in found
    assert ("conf.yaml:7: topics.bins.exclusion: unknown key 'exclusion'; "
            "did you mean 'exclusions'?") in found


def test_wrong_type_names_line_and_expected_type() -> None:
    text = "sources:\n  s:\n    type: sample\n    page_size: lots\n"
    (problem,) = problems_of(text)
    assert problem.startswith("conf.yaml:4: sources.s.page_size: Input should be a valid integer")
    assert "'lots'" in problem


def test_unknown_source_type_lists_known_types() -> None:
    (problem,) = problems_of("sources:\n  s:\n    type: tiktok\n")
    assert problem.startswith("conf.yaml:3: sources.s.type: unknown source type")
    for known in ("sample", "x", "reddit", "mastodon", "bluesky", "rss"):
        assert known in problem


def test_enabled_source_without_credential_names_the_variable(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MY_X_TOKEN", raising=False)
    text = "sources:\n  xs:\n    type: x\n    enabled: true\n    queries: [a]\n" \
           "    bearer_token_env: MY_X_TOKEN\n"
    (problem,) = problems_of(text)
    assert problem.startswith("conf.yaml:2: sources.xs:")
    assert "MY_X_TOKEN is not set" in problem
    monkeypatch.setenv("MY_X_TOKEN", "s3cret-value")
    settings = parse_settings(text, "conf.yaml")
    assert settings.sources["xs"].enabled
    assert "s3cret-value" not in settings.config_text


def test_duplicate_key_is_an_error_not_a_silent_overwrite() -> None:
    text = ("topics:\n  bins:\n    label: A\n    terms: [bin]\n"
            "  bins:\n    label: B\n    terms: [x]\n")
    assert "conf.yaml:5: topics.bins: written twice" in problems_of(text)[0]


def test_topic_that_can_never_match_is_reported() -> None:
    text = "topics:\n  empty:\n    label: Nothing\n"
    (problem,) = problems_of(text)
    assert problem.startswith("conf.yaml:2: topics.empty:")
    assert "never match" in problem


def test_yaml_syntax_error_names_line() -> None:
    (problem,) = problems_of("storage:\n  path: [unclosed\nsources: {}\n")
    assert problem.startswith("conf.yaml:3: not valid YAML")


def test_every_problem_is_reported_at_once() -> None:
    text = "storag:\n  path: a\nreports:\n  timezon: UTC\n"
    assert len(problems_of(text)) == 2


def test_relative_paths_in_the_config_are_relative_to_the_file(tmp_path) -> None:
    text = ("nlp:\n  embedding_model_path: models/minilm\n  transformers:\n"
            "    path: models/sentiment\nsources:\n  f:\n    type: file\n    path: in/posts.csv\n")
    settings = parse_settings(text, str(tmp_path / "conf" / "config.yaml"))
    base = (tmp_path / "conf").resolve()
    assert settings.nlp.embedding_model_path == str(base / "models" / "minilm")
    assert settings.nlp.transformers.path == str(base / "models" / "sentiment")
    assert settings.sources["f"].path == str(base / "in" / "posts.csv")
    assert settings.database_path == base / "data" / "civic-listener.db"
