"""Search strings: quoting, normalising, and hostile input against SQLite."""

from __future__ import annotations

import pytest

from listener.query.search import (
    MAX_CHARS,
    SearchError,
    explain_syntax_error,
    match_expression,
    normalise,
    simple_match,
)
from storage import Store
from storage.queries import PostFilter, PostHit, QueryTimeout, SearchSyntaxError
from tests.listener.query.hostile import hostile_strings


def test_every_word_is_quoted_and_inner_quotes_doubled() -> None:
    assert simple_match('pothole "Mill Lane') == '"pothole" """Mill" "Lane"'
    assert simple_match("pothole OR bins") == '"pothole" "OR" "bins"'
    assert simple_match("   ") is None


def test_zero_width_and_control_characters_are_removed() -> None:
    assert normalise("pot\u200bhole\u00ad \ufeff\x00x") == "pothole x"
    assert normalise("ＰＯＴＨＯＬＥ") == "POTHOLE"
    assert len(normalise("a" * 5000)) == MAX_CHARS


def test_punctuation_only_is_a_plain_error() -> None:
    with pytest.raises(SearchError, match="letter or number"):
        simple_match("(( *** ))")


def test_hostile_list_is_200_distinct_strings() -> None:
    strings = hostile_strings()
    assert len(strings) == 200 == len(set(strings))


@pytest.mark.parametrize("advanced", [False, True])
def test_hostile_strings_give_results_or_a_plain_error(query_store: Store,
                                                       advanced: bool) -> None:
    queries = query_store.queries
    outcomes = {"rows": 0, "error": 0}
    for text in hostile_strings():
        try:
            expression = match_expression(text, advanced=advanced)
            with queries.time_limit(2000):
                queries.find_posts(PostFilter(match=expression), limit=20)
            outcomes["rows"] += 1
        except SearchError as exc:
            assert str(exc)
            outcomes["error"] += 1
        except SearchSyntaxError as exc:
            assert advanced, f"simple mode produced a syntax error for {text!r}"
            assert "could not be understood" in explain_syntax_error(exc.detail)
            outcomes["error"] += 1
    assert outcomes["rows"] + outcomes["error"] == 200
    if not advanced:
        assert outcomes["rows"] > 150  # in simple mode nearly everything is just searched for


def test_simple_mode_finds_the_words_typed(query_store: Store) -> None:
    queries = query_store.queries
    found = queries.find_posts(PostFilter(match=simple_match("pot\u200bhole MILL")), limit=10)
    assert [hit.text for hit in found] == [
        "Huge pothole on Mill Lane again, @bob_smith reported it twice"]
    sql_like = queries.find_posts(PostFilter(match=simple_match("' OR 1=1 --")), limit=10)
    assert sql_like == []


def native_ids(hits: list[PostHit]) -> list[str]:
    return sorted(h.url.rsplit("/", 1)[-1] for h in hits if h.url)


def test_advanced_mode_boolean_and_its_plain_error(query_store: Store) -> None:
    queries = query_store.queries
    # "library" is in post 6 only; "bin" (stemmed: bins) in posts 3 and 5
    either = PostFilter(match=match_expression("library OR bin", advanced=True))
    assert native_ids(queries.find_posts(either, limit=10)) == ["3", "5", "6"]
    both = PostFilter(match=match_expression("pothole AND bins", advanced=True))
    assert native_ids(queries.find_posts(both, limit=10)) == ["5"]
    not_bins = PostFilter(match=match_expression("pothole NOT bins", advanced=True))
    assert native_ids(queries.find_posts(not_bins, limit=10)) == ["1", "2", "4", "7", "8", "9"]
    with pytest.raises(SearchSyntaxError) as caught, queries.time_limit(1000):
        queries.find_posts(PostFilter(match=match_expression("pothole AND (", advanced=True)),
                           limit=10)
    assert "bracket" in explain_syntax_error(caught.value.detail)


@pytest.mark.sqlite_only("SQLite's progress handler; PostgreSQL's statement_timeout: "
                         "tests/storage/test_tsquery.py::test_time_limit_on_postgresql")
def test_time_limit_stops_a_slow_query() -> None:
    with Store.open(":memory:") as store:
        slow = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
                " SELECT count(*) FROM n")
        with pytest.raises(QueryTimeout), store.queries.time_limit(50):
            store.db.execute(slow).fetchone()
        assert store.count_posts() == 0  # the handler is removed afterwards
