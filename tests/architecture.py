"""The rules of docs ARCHITECTURE ("Who may import whom"), as checks over
a source tree. ``tests/test_architecture.py`` runs them on the repository
and on small planted trees, so that no rule can pass by checking nothing.

Each check reads the files as Python syntax (``ast``), not by importing
them, and returns the violations it finds: every import (at the top, inside
a function, under ``TYPE_CHECKING``, or by ``importlib.import_module`` with
a literal name) and every string that is used as a value.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

OURS = ("storage", "nlp", "reports", "listener", "bench", "tests")

# package -> the packages of ours it may import (itself included)
MAY_IMPORT: dict[str, frozenset[str]] = {
    "storage": frozenset({"storage"}),
    "nlp": frozenset({"nlp"}),
    "reports": frozenset({"reports", "storage", "nlp"}),  # nlp: its pure estimators
    "listener": frozenset({"listener", "storage", "nlp", "reports"}),
}

# Inside listener, layers go one way: a unit imports its own layer or lower ones.
LAYERS: dict[str, int] = {
    # leaves
    "normalise": 0, "sources": 0, "sample": 0, "redact": 0, "platforms": 0,
    # what every layer reads: the version, the config it is handed, logging
    "listener": 0, "config": 0, "config_errors": 0, "config_checks": 0, "logs": 0,
    "section models": 0,
    # the stages
    "privacy": 1, "query": 1, "pipeline": 1, "reporting": 1, "deliveries": 1,
    "engagement": 1, "audit": 1, "routing": 1, "actions": 1, "discovery": 1,
    "topic_terms": 1,
    # what runs them
    "service": 2, "web": 2, "cli": 2, "__main__": 2,
}
# Each package owns the model of its own config section, and listener.config
# assembles Settings from them; those modules are config, not their package's
# machinery (they import only pydantic and the standard library).
SECTION_MODELS = frozenset({
    "listener/privacy/settings.py", "listener/privacy/governance.py",
    "listener/service/settings.py", "listener/web/settings.py",
    "listener/engagement/settings.py", "listener/routing/settings.py",
})

# SQL as it is written in this code base: upper-case keywords.
SQL = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+(?:OR\s+[A-Z]+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b"
    r"|\bDELETE\s+FROM\b|\b(?:CREATE|DROP)\s+(?:TEMP\s+|TEMPORARY\s+|UNIQUE\s+|VIRTUAL\s+)?"
    r"(?:TABLE|INDEX|TRIGGER|VIEW)\b|\bPRAGMA\s+\w+|\bWITH\s+RECURSIVE\b")

# What a caller of Store must never hold: the handle, a connection, a cursor.
RAW_ATTRIBUTES = frozenset({"db", "conn", "sql"})  # sql: the handle on either backend
RAW_SQLITE = frozenset({"connect", "Connection", "Cursor", "Row"})
RAW_CALLS = frozenset({"set_authorizer", "set_progress_handler", "executemany",
                       "executescript"})


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.detail}"


@dataclass(frozen=True)
class Module:
    path: str  # relative, with forward slashes
    name: str  # dotted
    is_package: bool
    tree: ast.Module

    @property
    def package(self) -> str:
        return self.name.split(".")[0]


def modules(root: Path, packages: tuple[str, ...] = OURS) -> Iterator[Module]:
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            rel = path.relative_to(root)
            if any(part.startswith(".") or part in ("__pycache__", "out") for part in rel.parts):
                continue
            parts = list(rel.with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            yield Module(rel.as_posix(), ".".join(parts), is_package,
                         ast.parse(path.read_text(encoding="utf-8"), str(rel)))


def _exists(root: Path, dotted: str) -> bool:
    base = root.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _literal_prefix(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        prefix = ""
        for value in node.values:
            if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                break
            prefix += value.value
        return prefix
    return None


def imports(root: Path, module: Module) -> Iterator[tuple[int, str]]:
    """(line, dotted module) for everything ``module`` imports."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.name.split(".")
                base = base if module.is_package else base[:-1]
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                yield node.lineno, sub if _exists(root, sub) else target
        elif isinstance(node, ast.Call) and node.args and (
                (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                or (isinstance(node.func, ast.Name)
                    and node.func.id in ("import_module", "__import__"))):
            name = _literal_prefix(node.args[0])
            if name:
                yield node.lineno, name.rstrip(".")


def import_table(root: Path) -> list[Violation]:
    """storage and nlp import nothing of ours; reports only storage and nlp;
    nothing imports listener (nor bench or tests)."""
    out = []
    for module in modules(root, tuple(MAY_IMPORT)):
        allowed = MAY_IMPORT[module.package]
        for line, target in imports(root, module):
            top = target.split(".")[0]
            if top in OURS and top not in allowed:
                out.append(Violation(module.path, line, "import table",
                                     f"{module.package} imports {target}"))
    return out


def listener_unit(path: str) -> str:
    """The layer unit of a module under listener/ (a subpackage, a top-level
    module, or a config section model)."""
    if path in SECTION_MODELS:
        return "section models"
    parts = path.split("/")
    if len(parts) > 2:
        return parts[1]
    name = parts[1].removesuffix(".py")
    return "listener" if name == "__init__" else name


def _unit_of_target(root: Path, target: str) -> str:
    parts = target.split(".")
    for size in range(len(parts), 1, -1):  # the longest prefix that is a file of ours
        path = root.joinpath(*parts[:size])
        for candidate in (path.with_suffix(".py"), path / "__init__.py"):
            if candidate.is_file():
                return listener_unit(candidate.relative_to(root).as_posix())
    return parts[1] if len(parts) > 1 else "listener"


def listener_layers(root: Path) -> list[Violation]:
    """Leaves -> privacy, query, pipeline, reporting -> service, web, cli."""
    out = []
    for module in modules(root, ("listener",)):
        unit = listener_unit(module.path)
        if unit not in LAYERS:
            out.append(Violation(module.path, 1, "listener layers",
                                 f"{unit} has no layer: add it to LAYERS on purpose"))
            continue
        for line, target in imports(root, module):
            if target.split(".")[0] != "listener":
                continue
            other = _unit_of_target(root, target)
            if LAYERS.get(other, 0) > LAYERS[unit]:
                out.append(Violation(module.path, line, "listener layers",
                                     f"{unit} (layer {LAYERS[unit]}) imports {target} "
                                     f"({other}, layer {LAYERS[other]})"))
    return out


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the string nodes that are statements on their own (docstrings, notes)."""
    return {id(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}


def _texts(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """(line, text) of every string used as a value; an f-string's literal
    parts are joined, each placeholder standing as ``?``."""
    skip = _docstrings(tree)
    inside_fstring = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
                      for v in node.values}
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            yield node.lineno, "".join(v.value if isinstance(v, ast.Constant) else "?"
                                       for v in node.values)
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and id(node) not in skip and id(node) not in inside_fstring):
            yield node.lineno, node.value


def sql_outside_storage(root: Path, exceptions: frozenset[str] = frozenset()) -> list[Violation]:
    """Only storage writes SQL."""
    out = []
    for module in modules(root, ("listener", "reports", "nlp", "bench")):
        if module.path in exceptions:
            continue
        for line, text in _texts(module.tree):
            found = SQL.search(text)
            if found:
                out.append(Violation(module.path, line, "no SQL outside storage",
                                     " ".join(found.group(0).split())[:60]))
    return out


def raw_database_outside_storage(root: Path,
                                 exceptions: frozenset[str] = frozenset()) -> list[Violation]:
    """Only storage holds the database handle (``store.db``), a connection
    or a cursor; everyone else goes through ``Store``."""
    out = []
    for module in modules(root, ("listener", "reports", "nlp", "bench")):
        if module.path in exceptions:
            continue
        for node in ast.walk(module.tree):
            detail = None
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [
                    node.module or ""]
                if any(n.split(".")[0] == "sqlite_utils" for n in names):
                    detail = "imports sqlite_utils"
                elif any(n.split(".")[0] in ("psycopg", "psycopg_pool") for n in names):
                    detail = "imports psycopg"
                elif isinstance(node, ast.ImportFrom) and node.module == "sqlite3" and any(
                        a.name in RAW_SQLITE for a in node.names):
                    detail = "imports a connection type from sqlite3"
            elif isinstance(node, ast.Attribute):
                if node.attr in RAW_ATTRIBUTES:
                    detail = f"uses .{node.attr}"
                elif node.attr in RAW_CALLS:
                    detail = f"calls .{node.attr}"
                elif (node.attr in RAW_SQLITE and isinstance(node.value, ast.Name)
                      and node.value.id == "sqlite3"):
                    detail = f"uses sqlite3.{node.attr}"
            if detail:
                out.append(Violation(module.path, getattr(node, "lineno", 1),
                                     "only storage holds the database", detail))
    return out
