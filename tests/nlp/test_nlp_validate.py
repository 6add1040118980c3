from __future__ import annotations

from nlp import validate_topics
from nlp.config import TopicSpec


def test_good_topics_have_no_problems() -> None:
    topics = {"potholes": TopicSpec(label="Potholes", terms=["pothole"], hashtags=["#potholes"])}
    assert validate_topics(topics) == []


def test_problems_are_named_by_topic() -> None:
    problems = validate_topics({
        "empty": TopicSpec(label="Empty"),
        "bins": TopicSpec(
            label="Bins",
            terms=["bin", "bins", "bin day", "recycling"],
            hashtags=["#bin strike", "#binday", "BinDay"],
            exclusions=["recycling"],
        ),
        "Bad Slug": TopicSpec(label="x", terms=["https://example.org"]),
    })
    text = "\n".join(problems)
    assert "topic 'empty': no terms, phrases or hashtags" in text
    assert "'bins' in terms duplicates 'bin'" in text
    assert "term 'bin day' has spaces" in text
    assert "'recycling' is both a term and an exclusion" in text
    assert "hashtag '#bin strike' has spaces" in text
    assert "hashtag 'BinDay' is listed twice" in text
    assert "topic 'Bad Slug': the topic key must be lower-case" in text
    assert "is a link or @mention" in text
    assert all(p.startswith("topic '") for p in problems)
