"""200 hostile search strings: quotes, FTS5 operators, unbalanced brackets,
SQL fragments, very long input, emoji, zero-width and control characters."""

from __future__ import annotations

BASE = [
    '"', '""', "'", "''", '"pothole', 'pothole"', "pot'hole", '"""', '" "', "`pothole`",
    "AND", "OR", "NOT", "NEAR", "pothole AND", "OR pothole", "pothole NOT", "AND OR NOT",
    "NEAR(pothole bin)", "NEAR(pothole bin, 99999999999)", "pothole*", "*", "^pothole", "^",
    "text:pothole", "title : x", "author_key:x", "{text title}: pothole", "-pothole", "+",
    "pothole + bin", ":", "::", "a:b:c", "(", ")", "((pothole", "pothole))", "(a OR (b",
    ")(", "[pothole]", "{", "}", "'; DROP TABLE posts; --", '" OR 1=1 --',
    "1; SELECT * FROM raw_payloads", "UNION SELECT author_key FROM posts", "\\", "%", "_",
    "/* */", "--", "pothole' OR '1'='1", "x\" OR \"1\"=\"1", "?", "?1", ":name", "@p", "$1",
    "🕳️ pothole", "💩", "🇬🇧", "👨\u200d👩\u200d👧", "pot\u200bhole", "\u200b", "\ufeffpothole",
    "\u202epothole", "\u00ad", "\u2060", "\x00", "pot\x00hole", "\n\t", "\x1b[31mred",
    "ＰＯＴＨＯＬＥ", "pöthole", "ß", "İ", "حفرة", "坑洼", "e\u0301\u0301\u0301", "\ud7ff",
    "<script>alert(1)</script>", "&amp;", "%27%22", "\r\n\r\n", "NULL", "null", "0", "-1",
]
WRAPS = ["{}", "pothole {}", "{} pothole", "{}{}", '"{}"', "({})", "{} OR {}", "NOT {}"]


def hostile_strings() -> list[str]:
    out: list[str] = ["pothole " * 2000, "a" * 10_000, "(" * 5000, '"' * 5000,
                      "\u200b" * 3000, "🕳️" * 2000, "OR " * 3000, "x" * 300 + " y" * 300]
    for wrap in WRAPS:
        for base in BASE:
            text = wrap.format(base, base) if wrap.count("{}") == 2 else wrap.format(base)
            if text not in out:
                out.append(text)
            if len(out) >= 200:
                return out
    return out
