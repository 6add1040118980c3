"""HTML fragments to text (``listener.normalise.fields.html_to_text``):
plain markup is read without HTMLParser, and must give exactly what
HTMLParser gives."""

from __future__ import annotations

import random

from listener.normalise import fields

TEXT = ["bins", " ", "\n", "  two  spaces ", "a &amp; b", "&lt;p&gt;", "&#39;", "&#x27;",
        "&nbsp;", "&amp", "&copy", "&", "&#", "caf\u00e9 \U0001f926", "\u00a0", "\t", "x;y", ">",
        "'", '"', "=", "/", "\x0b", "\u2028", "\r\n"]
PLAIN = ["<p>", "</p>", "<P>", "</P >", "<br>", "<br/>", "<BR />", "<br />", "<p/>",
         '<a href="https://x.example/a?b=1&amp;c=2" class="mention hashtag" rel="tag">', "</a>",
         "<span>", "</span>", "<span class='h-card' translate=\"no\">", "<div>", "</div>",
         "<li>", "</li>", '<a href="x>y">', '<a href="x\ny">', "<span hidden>",
         '<span data-x = "1">', "<blockquote>", "</blockquote>", "<h1>", "</h1>", "<tr>",
         "<pre>", "</pre>", "<em>", "</EM>", "<ul>", "<ol >"]
OTHER = ["<!-- c -->", "<script>x</script>", "<3", "< p>", "<a href=x>", '<p\u00a0class="x">',
         "<custom-tag>", "</a x>", "<", "<img src=\"x\">", "<style>p{}</style>", "\x00",
         "<p\x0bx>", '<a href="x"class="y">', "</>", "<!doctype html>", "<?pi?>",
         '<a b=="c">', "<p / >", "</p", "<span", "<title>a<b></title>", "<textarea><p></textarea>"]


def _reference(markup: str) -> str:
    """The text as HTMLParser alone reads it."""
    saved = fields._plain_parts
    try:
        fields._plain_parts = lambda _markup: None  # type: ignore[assignment]
        return fields.html_to_text(markup)
    finally:
        fields._plain_parts = saved


def test_plain_markup_reads_as_htmlparser_reads_it() -> None:
    rng = random.Random(20)
    plain = 0
    for _ in range(6000):
        pool = TEXT + PLAIN + (OTHER if rng.random() < 0.3 else [])
        markup = "".join(rng.choice(pool) for _ in range(rng.randint(1, 14)))
        if "<" not in markup:
            continue
        parts = fields._plain_parts(markup)
        if parts is not None:
            plain += 1
            assert parts == fields._parsed_parts(markup), markup
        assert fields.html_to_text(markup) == _reference(markup), markup
    assert plain > 2000  # most of them went the plain way


def test_markup_that_is_not_plain_goes_to_htmlparser() -> None:
    for markup in OTHER:
        assert fields._plain_parts(f"<p>a{markup}b</p>") is None, markup


def test_a_status_reads_as_before() -> None:
    status = ('<p>bins<br />not <a href="https://t.example/tags/bins" class="mention hashtag"'
              ' rel="tag">#<span>bins</span></a> &amp; <b>again</b></p><p>second&nbsp;para</p>')
    assert fields.html_to_text(status) == "bins\nnot #bins & again\n\nsecond para"
