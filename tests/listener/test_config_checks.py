"""Config mistakes that used to pass `config check` (issue 16, "Config
mistakes accepted silently"): each is refused with file, line and key."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine

from listener.config import ConfigError, parse_settings
from storage import Store
from tests.cli import Cli


def problems_of(text: str, file: str = "conf.yaml") -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_settings(text, file, check_credentials=False)
    return [str(p) for p in info.value.problems]


def test_an_unknown_classifier_is_refused_with_the_closest_name() -> None:
    text = ("storage:\n  path: a.db\nnlp:\n  topic_classifier: topics.keyword\n"
            "  sentiment_classifier: sentiment.vadr\n  extra_classifiers: [places.gazeteer]\n")
    found = problems_of(text)
    assert ("conf.yaml:4: nlp.topic_classifier: unknown classifier 'topics.keyword'; "
            "did you mean 'topics.keywords'?") in found
    assert any(p.startswith("conf.yaml:5: nlp.sentiment_classifier: unknown classifier "
                            "'sentiment.vadr'; did you mean 'sentiment.vader'?") for p in found)
    assert any(p.startswith("conf.yaml:6: nlp.extra_classifiers.0: unknown classifier "
                            "'places.gazeteer'; did you mean 'places.gazetteer'?")
               for p in found)


def test_a_classifier_for_the_wrong_task_or_version_is_refused() -> None:
    found = problems_of("nlp:\n  topic_classifier: sentiment.vader\n"
                        "  sentiment_classifier: sentiment.vader.v9\n")
    assert any("conf.yaml:2: nlp.topic_classifier: 'sentiment.vader' labels sentiment, "
               "not topic" in p for p in found)
    assert any(p.startswith("conf.yaml:3: nlp.sentiment_classifier: classifier "
                            "'sentiment.vader' has no version v9") for p in found)


def test_a_trained_classifier_in_the_data_folder_is_accepted(tmp_path: Path) -> None:
    card = tmp_path / "data" / "classifiers" / "topics.head" / "v1" / "card.json"
    card.parent.mkdir(parents=True)
    card.write_text(json.dumps({"name": "topics.head", "version": "v1", "task": "topic"}))
    settings = parse_settings("nlp:\n  topic_classifier: topics.combined\n"
                              "  learned_topic: topics.head\n",
                              str(tmp_path / "config.yaml"), check_credentials=False)
    assert settings.nlp.learned_topic == "topics.head"
    found = problems_of("nlp:\n  learned_topic: topics.hed\n", str(tmp_path / "config.yaml"))
    assert any(":2: nlp.learned_topic: unknown classifier 'topics.hed'" in p for p in found)


def test_an_unknown_time_zone_is_refused_with_the_closest_name() -> None:
    (problem,) = problems_of("reports:\n  timezone: Europe/Londn\n")
    assert problem == ("conf.yaml:2: reports.timezone: unknown time zone 'Europe/Londn'; "
                       "did you mean 'Europe/London'?")


@pytest.mark.parametrize("text", ["", "\n\n", "# nothing here yet\n", "{}\n", "~\n"])
def test_an_empty_config_is_refused(text: str) -> None:
    (problem,) = problems_of(text)
    assert problem.startswith("conf.yaml") and "empty" in problem


def test_paths_of_the_wrong_kind_are_refused(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "reports-out").write_text("a file where a folder belongs")
    text = ("storage:\n  path: data/\n  data_dir: reports-out\n"
            "reports:\n  out_dir: reports-out\n"
            "sources:\n  survey:\n    type: file\n    path: data\n")
    found = problems_of(text, str(tmp_path / "config.yaml"))
    where = str(tmp_path / "config.yaml")
    assert any(p.startswith(f"{where}:2: storage.path: ") and "folder" in p for p in found)
    assert any(p.startswith(f"{where}:3: storage.data_dir: ") and "not a folder" in p
               for p in found)
    assert any(p.startswith(f"{where}:5: reports.out_dir: ") and "not a folder" in p
               for p in found)
    assert any(p.startswith(f"{where}:9: sources.survey.path: ") and "folder" in p
               for p in found)
    assert len(found) == 4


def test_a_database_path_ending_in_a_slash_is_refused_before_it_exists() -> None:
    (problem,) = problems_of("storage:\n  path: nowhere-yet/\n")
    assert problem.startswith("conf.yaml:2: storage.path: ") and "folder" in problem


@pytest.mark.parametrize("size", [1, 5, 9])
def test_min_group_size_below_the_report_floor_is_refused(size: int) -> None:
    (problem,) = problems_of(f"privacy:\n  min_group_size: {size}\n")
    assert problem.startswith("conf.yaml:2: privacy.min_group_size: ") and "10" in problem


def test_status_check_fails_when_the_last_classification_failed(tmp_path: Path,
                                                                  cli: Cli) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("storage:\n  path: data/test.db\nsources:\n  feed:\n    type: sample\n"
                      "    interval_minutes: 30\n")
    store = Store.open(tmp_path / "data" / "test.db")
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        run = store.runs.start("feed")  # the collection itself went well...
        store.runs.finish(run, "ok")
        store.service.job_started("collect:feed", None)  # ...then classifying failed
        store.service.job_finished("collect:feed", "failed",
                                   "UnknownClassifierError: unknown classifier 'topics.keyword'")
        result = cli("-c", config, "status", "--check")
    store.close()
    assert result.returncode == 1, result.output
    assert "CHECK: feed:" in result.output and "topics.keyword" in result.output
