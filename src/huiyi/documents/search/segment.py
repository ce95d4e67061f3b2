"""Tokens for full-text search of Chinese and English text, the same for documents and queries.

Chinese is written without spaces, and neither PostgreSQL's parser nor SQLite's FTS5 tokenizer splits it
into words. We index overlapping character **bigrams** of every run of Han characters (会议议程 → 会议 议议
议程) and lower-cased words of Latin letters and digits. A query is cut the same way and its bigrams must
follow each other (a phrase), so a query of two or more characters finds exactly the documents that contain
it as a substring — no dictionary can miss a meeting's name, a venue or a person's name, which a word
segmenter such as jieba does when it cuts the query differently from the text (and jieba would add a
dictionary of some 20 MB loaded into every worker and an upstream unchanged since 2020). A single character
is looked up as a prefix of the bigrams. Latin words are matched as prefixes (meet → meeting).
"""

from __future__ import annotations

import re
import unicodedata

# Han ideographs (with extension A and compatibility ideographs), kana and Hangul: scripts without spaces.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
_TOKEN = re.compile(rf"[{_CJK}]+|[0-9a-z]+")
_CJK_RUN = re.compile(rf"[{_CJK}]+")
MAX_QUERY_TERMS = 12


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokens(text: str) -> list[str]:
    out: list[str] = []
    for match in _TOKEN.finditer(normalize(text)):
        token = match.group()
        out.extend(_bigrams(token) if _CJK_RUN.fullmatch(token) else [token])
    return out


def segment(text: str) -> str:
    """The indexed form of `text`: its tokens separated by spaces."""
    return " ".join(tokens(text))


def query_groups(query: str) -> list[tuple[list[str], bool]]:
    """The terms of a user's query: (tokens that must follow each other, whether the last is a prefix).

    ``"会议议程 hotel"`` → ``[(["会议", "议议", "议程"], False), (["hotel"], True)]``.
    """
    groups = []
    for match in _TOKEN.finditer(normalize(query)):
        token = match.group()
        if _CJK_RUN.fullmatch(token):
            groups.append((_bigrams(token), len(token) == 1))
        else:
            groups.append(([token], True))
        if len(groups) >= MAX_QUERY_TERMS:
            break
    return groups


def highlight_terms(query: str) -> list[str]:
    """What to mark in a snippet: each term of the query as typed (normalized), longest first."""
    terms = {match.group() for match in _TOKEN.finditer(normalize(query))}
    return sorted(terms, key=len, reverse=True)[:MAX_QUERY_TERMS]


def tsquery(query: str) -> str:
    """A PostgreSQL tsquery (``to_tsquery('simple', …)`` syntax) for `query`; '' when it has no term."""
    parts = []
    for group, prefix in query_groups(query):
        words = [f"'{token}'" for token in group]
        if prefix:
            words[-1] += ":*"
        parts.append("(" + " <-> ".join(words) + ")" if len(words) > 1 else words[0])
    return " & ".join(parts)


def fts5_query(query: str) -> str:
    """An SQLite FTS5 MATCH expression for `query`; '' when it has no term."""
    parts = []
    for group, prefix in query_groups(query):
        phrase = '"' + " ".join(group) + '"'
        parts.append(phrase + ("*" if prefix else ""))
    return " AND ".join(parts)
