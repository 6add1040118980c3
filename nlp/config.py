"""The NLP package's own config sections: topics and classifier options."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class TopicSpec(BaseModel):
    """One topic as admins write it in config.yaml."""

    model_config = ConfigDict(extra="forbid")

    label: str = Field(description="Human-readable name shown in reports")
    terms: list[str] = Field(default_factory=list, description="Single words; inflections match")
    phrases: list[str] = Field(default_factory=list, description="Multi-word phrases")
    hashtags: list[str] = Field(default_factory=list, description="Hashtags, with or without #")
    exclusions: list[str] = Field(
        default_factory=list, description="Words or phrases that veto this topic for a post"
    )


class NlpSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topic_classifier: str = Field(
        default="topics.keywords",
        description="Registered name, optionally versioned: topics.keywords, topics.keywords.v1",
    )
    sentiment_classifier: str = "sentiment.vader"
    extra_classifiers: list[str] = Field(
        default_factory=list, description="More classifiers to run, e.g. places.gazetteer, lang.id"
    )
    batch_size: int = Field(default=512, ge=1)
