"""The NLP package's own config sections: topics and classifier options."""

from __future__ import annotations

from typing import Literal

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
    examples: list[str] = Field(
        default_factory=list,
        description="A few sentences as residents write about this topic; with the label,"
        " terms and phrases they are what semantic matching compares posts with",
    )
    semantic_threshold: float | None = Field(
        default=None, ge=0.0, le=1.0,
        description="This topic's own nlp.semantic.threshold (default: the global one)",
    )


class TransformersSettings(BaseModel):
    """``sentiment.transformers``: a sequence-classification model at a local path."""

    model_config = ConfigDict(extra="forbid")

    path: str | None = Field(default=None, description="Local folder of a saved model")
    task: str = "sentiment"
    batch_size: int = Field(default=32, ge=1)
    max_length: int = Field(default=128, ge=8)
    quantize: bool = Field(default=False, description="int8 dynamic quantization (Linear)")
    label_map: dict[str, str] = Field(
        default_factory=dict, description="Model label -> stored label, e.g. LABEL_0: negative"
    )
    sha256: dict[str, str] = Field(
        default_factory=dict, description="File name -> sha256 checked before loading"
    )


class PlaceSpec(BaseModel):
    """One place or organisation in the gazetteer; the key is its slug."""

    model_config = ConfigDict(extra="forbid")

    label: str = Field(description="Name shown in reports")
    kind: str = Field(default="place", description="ward, town, hospital, school, service, ...")
    aliases: list[str] = Field(default_factory=list, description="Other names it goes by")


class SemanticSettings(BaseModel):
    """``nlp.semantic``: topics by nearness to each topic's prototypes (its
    label, terms and phrases, examples and staff-labelled posts). The
    defaults were chosen by cross-validation on real posts (docs/nlp.md)."""

    model_config = ConfigDict(extra="forbid")

    embeddings: Literal["static", "minilm"] = Field(
        default="static",
        description="static: WordLlama vectors from the core install (no torch); minilm:"
        " all-MiniLM-L6-v2 (the ml extra), or nlp.embedding_model_path",
    )
    threshold: float = Field(
        default=0.35, ge=0.0, le=1.0,
        description="Least cosine similarity between a post and a topic's nearest prototype"
        " for the topic to be given (a topic's semantic_threshold overrides it)",
    )
    margin: float = Field(
        default=0.02, ge=0.0, le=1.0,
        description="Least lead of the best topic's similarity over the second best's",
    )


class NlpSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topic_classifier: str = Field(
        default="topics.keywords",
        description="Registered name, optionally versioned: topics.keywords, topics.keywords.v1",
    )
    sentiment_classifier: str = "sentiment.vader"
    request_classifier: str | None = Field(
        default="request.rules",
        description="Questions and complaints addressed to the body (the engagement section):"
        " request.rules, or a request.head trained through the labelling loop; null: off",
    )
    extra_classifiers: list[str] = Field(
        default_factory=lambda: ["places.gazetteer"],
        description="More classifiers to run, e.g. places.gazetteer, lang.langid; the"
        " gazetteer runs only when nlp.places lists places",
    )
    batch_size: int = Field(default=512, ge=1)
    learned_topic: str | None = Field(
        default=None,
        description="A trained topic head (e.g. topics.head) used by topics.combined for the"
        " posts the keywords miss",
    )
    learned_topic_threshold: float = Field(
        default=0.6, ge=0.0, le=1.0,
        description="Minimum probability for a learned topic label to be stored",
    )
    none_labels: list[str] = Field(
        default_factory=lambda: ["none", "other", "non_civic", "NON_CIVIC"],
        description="Learned-head classes that mean 'no topic'",
    )
    torch_threads: int | None = Field(default=None, ge=1, description="torch CPU threads")
    embedding_model_path: str | None = Field(
        default=None,
        description="Another sentence-embedding model folder; default: the packaged MiniLM,"
        " whose files are checked against pinned sha256 before loading",
    )
    embedding_batch_size: int = Field(default=64, ge=1)
    transformers: TransformersSettings = Field(default_factory=TransformersSettings)
    places: dict[str, PlaceSpec] = Field(
        default_factory=dict, description="Gazetteer: wards, towns, hospitals, schools, services"
    )
    semantic: SemanticSettings = Field(default_factory=SemanticSettings)
    labelled_files: list[str] = Field(
        default_factory=list,
        description="Staff-labelled CSVs (from `listener label export`, 'label' column filled"
        " in with topic keys): their posts become extra prototypes of their topic, and"
        " `listener topics health` reads each term's precision from them",
    )
