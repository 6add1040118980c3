"""Loading and validating config.yaml into typed ``Settings``.

Each package owns the model of its own section; this module composes them,
reads the file with ``yaml.safe_load`` semantics, and turns every problem
into a ``ConfigProblem`` naming file, line and key (with the closest valid
key for a typo). Secrets never live here: sources name the environment
variables that hold them.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from listener.config_checks import nlp_problems, path_problems
from listener.config_errors import (
    ConfigError,
    ConfigProblem,
    duplicate_keys,
    find_node,
    suggestion,
    valid_keys,
)
from listener.engagement.settings import OWN_PREFIX, EngagementSettings
from listener.platforms.config import SourceConfig, source_model
from listener.privacy.governance import GovernanceSettings
from listener.privacy.settings import PrivacySettings
from listener.routing.settings import RoutingSettings, routing_problems
from listener.service.settings import ServiceSettings
from listener.web.settings import WebSettings
from nlp.config import NlpSettings, TopicSpec
from nlp.discovery_config import DiscoverySettings
from reports.config import ReportSettings
from storage.config import StorageSettings

__all__ = ["ConfigError", "ConfigProblem", "Settings", "load_settings", "parse_settings"]

DEFAULT_CONFIG = "config.yaml"
# safe_load's loader, in C where PyYAML has libyaml: config.yaml is parsed twice at every
# command's start (nodes for line numbers, then data), 0.20 CPU s in Python, 0.02 in C
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CONFIG_ENV = "CIVIC_LISTENER_CONFIG"


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    storage: StorageSettings = Field(default_factory=StorageSettings)
    sources: dict[str, SourceConfig] = Field(default_factory=dict)
    topics: dict[str, TopicSpec] = Field(default_factory=dict)
    nlp: NlpSettings = Field(default_factory=NlpSettings)
    discovery: DiscoverySettings = Field(default_factory=DiscoverySettings)
    reports: ReportSettings = Field(default_factory=ReportSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    engagement: EngagementSettings = Field(default_factory=EngagementSettings)
    governance: GovernanceSettings = Field(default_factory=GovernanceSettings)
    service: ServiceSettings = Field(default_factory=ServiceSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    routing: RoutingSettings = Field(default_factory=RoutingSettings)

    _path: Path | None = PrivateAttr(default=None)
    _text: str = PrivateAttr(default="")

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def base_dir(self) -> Path:
        """Relative paths in the config are relative to the config file."""
        return self._path.parent if self._path is not None else Path.cwd()

    @property
    def config_text(self) -> str:
        return self._text

    @property
    def config_hash(self) -> str:
        return hashlib.sha256(self._text.encode()).hexdigest()[:12]

    def resolve(self, relative: str) -> Path:
        path = Path(relative)
        return path if path.is_absolute() else self.base_dir / path

    @property
    def database_path(self) -> Path:
        return self.resolve(self.storage.path)

    @property
    def database_name(self) -> str:
        """The database, as output and logs name it: the SQLite file, or the
        PostgreSQL database by the variable that holds its DSN (never the DSN)."""
        if self.storage.backend == "postgresql":
            return self.storage.server_name
        return str(self.database_path)

    @property
    def data_dir(self) -> Path:
        return self.resolve(self.storage.data_dir)

    def all_sources(self) -> dict[str, Any]:
        """The configured sources and the body's own channels (``own:<platform>``)."""
        return {**self.sources, **self.engagement.sources()}

    def enabled_sources(self) -> dict[str, Any]:
        return {name: cfg for name, cfg in self.all_sources().items() if cfg.enabled}


def default_config_path() -> Path:
    return Path(os.environ.get(CONFIG_ENV, DEFAULT_CONFIG))


def load_settings(path: str | Path | None = None, *, check_credentials: bool = True,
                  check_words: bool = True) -> Settings:
    """Read, validate and return the settings; raise ``ConfigError`` listing
    every problem found (not only the first). Without ``check_words`` the
    topic words are not lemmatised (``nlp.validate``: spaCy, and with the
    ``ml`` extra torch, stay unimported, 3-5 s of every command's start):
    for commands that do not classify."""
    file = Path(path) if path is not None else default_config_path()
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError([ConfigProblem(str(file), None, "", f"cannot read: {exc.strerror}")]) \
            from None
    return parse_settings(text, str(file), check_credentials=check_credentials,
                          check_words=check_words)


def parse_settings(text: str, file: str, *, check_credentials: bool = True,
                   check_words: bool = True) -> Settings:
    try:
        root = yaml.compose(text, Loader=_LOADER)
        data = yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError([ConfigProblem(file, line, "", f"not valid YAML: {problem}")]) from None
    if data is None or data == {}:
        raise ConfigError([ConfigProblem(
            file, None, "", "the file is empty: it holds no section (storage, sources, "
            "topics, ...); is this the right file? The repository's config.yaml is a "
            "complete example")])
    if not isinstance(data, dict):
        problem = ConfigProblem(file, 1, "", "the top level must be a mapping of sections")
        raise ConfigError([problem])
    problems = [
        ConfigProblem(file, line, key, "written twice; YAML would silently keep only the last")
        for key, line in duplicate_keys(root)
    ]
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        problems += [_problem(file, root, data, err) for err in exc.errors()]
        raise ConfigError(problems) from None
    problems += _semantic_problems(settings, file, root, check_credentials, check_words)
    if problems:
        raise ConfigError(problems)
    settings._path = Path(file).resolve()
    settings._text = text
    for cfg in settings.sources.values():  # relative to the config, like every path
        cfg.resolve_paths(settings.resolve)
    if settings.nlp.embedding_model_path:
        settings.nlp.embedding_model_path = str(settings.resolve(settings.nlp.embedding_model_path))
    if settings.nlp.transformers.path:
        settings.nlp.transformers.path = str(settings.resolve(settings.nlp.transformers.path))
    settings.nlp.labelled_files = [str(settings.resolve(f)) for f in settings.nlp.labelled_files]
    return settings


def _source_key(name: str) -> tuple[str, ...]:
    """Where a source is written in config.yaml: ``sources.<name>``, or for an
    own channel ``engagement.channels.<platform>``."""
    if name.startswith(OWN_PREFIX):
        return ("engagement", "channels", name.removeprefix(OWN_PREFIX))
    return ("sources", name)


def _dotted(loc: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in loc)


def _line(root: yaml.Node | None, loc: tuple[str | int, ...]) -> int | None:
    node, _ = find_node(root, loc)
    return node.start_mark.line + 1 if node is not None else None


# keys whose wrong value is never repeated in the error (it may be a secret)
_NEVER_ECHOED = frozenset({("storage", "dsn_env")})


def _problem(file: str, root: yaml.Node | None, data: dict[str, Any],
             err: Any) -> ConfigProblem:
    loc: tuple[str | int, ...] = tuple(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        parent, unknown = loc[:-1], str(loc[-1])
        hint = suggestion(unknown, _valid_keys(data, parent))
        return ConfigProblem(file, _line(root, loc), _dotted(loc),
                             f"unknown key '{unknown}'{hint}")
    if kind == "source_type_unknown":
        return ConfigProblem(file, _line(root, (*loc, "type")), _dotted(loc) + ".type",
                             err["msg"])
    if kind in ("source_type_missing", "source_not_mapping"):
        return ConfigProblem(file, _line(root, loc), _dotted(loc), err["msg"])
    if kind == "missing":
        return ConfigProblem(file, _line(root, loc[:-1]), _dotted(loc),
                             "required key is missing")
    got = err.get("input")
    if loc in _NEVER_ECHOED:  # a DSN pasted where its variable's name belongs
        got = None
    message = str(err["msg"]).removeprefix("Value error, ")
    shown = f" (got {got!r})" if isinstance(got, str | int | float | bool) \
        and repr(got) not in message and f"got {got}" not in message else ""
    return ConfigProblem(file, _line(root, loc), _dotted(loc), f"{message}{shown}")


def _valid_keys(data: dict[str, Any], parent: tuple[str | int, ...]) -> list[str]:
    """Keys allowed at ``parent``; inside a source, its type's config model's."""
    if len(parent) >= 2 and parent[0] == "sources":
        sources = data.get("sources")
        entry = sources.get(parent[1]) if isinstance(sources, dict) else None
        model = source_model(entry.get("type")) if isinstance(entry, dict) else None
        if model is not None:
            return valid_keys(model, parent[2:])
    return valid_keys(Settings, parent)


def _semantic_problems(settings: Settings, file: str, root: yaml.Node | None,
                       check_credentials: bool, check_words: bool) -> list[ConfigProblem]:
    problems: list[ConfigProblem] = []
    if check_credentials:
        for name, cfg in settings.all_sources().items():
            if not cfg.enabled:
                continue
            where = _source_key(name)
            for role, var in cfg.credential_env().items():
                if not os.environ.get(var):
                    problems.append(ConfigProblem(
                        file, _line(root, where), ".".join(where),
                        f"enabled, but its {role} environment variable {var} is not set "
                        "(set it, or set enabled: false)"))
    official = settings.privacy.official_set()
    for platform, cfg in settings.engagement.configured().items():
        handle = cfg.account.strip().lstrip("@").lower()
        if (platform, handle) not in official:
            problems.append(ConfigProblem(
                file, _line(root, ("engagement", "channels", platform, "account")),
                f"engagement.channels.{platform}.account",
                f"'{cfg.account}' is not in privacy.official_accounts; add "
                f"'{platform}:{cfg.account}' there (only the body's allow-listed accounts are "
                "its own channels)"))
    for entry in settings.privacy.official_accounts:
        if ":" not in entry:
            problems.append(ConfigProblem(
                file, _line(root, ("privacy", "official_accounts")), "privacy.official_accounts",
                f"'{entry}' must be written platform:handle, e.g. x:ExampleCouncil"))
    problems += _topic_problems(settings, file, root, check_words)
    base = Path(file).resolve().parent
    for loc, message in [*path_problems(settings, base), *nlp_problems(settings, base)]:
        problems.append(ConfigProblem(file, _line(root, loc), _dotted(loc), message))
    for i, labelled in enumerate(settings.nlp.labelled_files):
        if not (base / labelled).is_file():  # an absolute path stays itself
            problems.append(ConfigProblem(
                file, _line(root, ("nlp", "labelled_files", i)), f"nlp.labelled_files[{i}]",
                f"no such file: {labelled} (a CSV from `listener label export`, labelled)"))
    problems += [
        ConfigProblem(file, _line(root, where), _dotted(where), message)
        for where, message in routing_problems(
            settings.routing, settings.topics, settings.nlp.places, lambda loc: _line(root, loc),
            email_ready=bool(settings.reports.email.sender),
            env=os.environ if check_credentials else None)]
    return problems


def _topic_problems(settings: Settings, file: str, root: yaml.Node | None,
                    check_words: bool) -> list[ConfigProblem]:
    from nlp.validate import validate_topic

    return [
        ConfigProblem(file, _line(root, ("topics", slug)), f"topics.{slug}",
                      message.removeprefix(f"topic '{slug}': "))
        for slug, spec in settings.topics.items()
        for message in validate_topic(slug, spec, lemmas=check_words)
    ]
