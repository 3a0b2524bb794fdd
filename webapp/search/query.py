"""Read what a user typed as search terms; no typed character ever reaches query syntax raw.

The syntax is websearch-like: `"quoted phrase"`, `-exclusion`, `or` between alternatives,
everything else AND-ed; the last plain word is also matched as a prefix (search as you type).
"""

import re
import unicodedata
from dataclasses import dataclass

from ..services.errors import ServiceError

MAX_QUERY_LENGTH = 500
MAX_TERMS = 16
# Words are runs of letters and digits: the only text that goes into tsquery/FTS5 literals.
WORD = re.compile(r"[^\W_]+")
CHUNK = re.compile(r'(-)?(?:"([^"]*)"?|([^\s"]+))')
SUFFIXES = ("ations", "ation", "ings", "ing", "ers", "er", "es", "ed", "s")


class BadQuery(ServiceError):
    status = 400
    code = "bad_query"


@dataclass(frozen=True)
class Term:
    """One AND-ed part of a query: a chunk of words or a quoted phrase, maybe negated."""

    text: str
    words: tuple[str, ...]
    phrase: bool = False
    negated: bool = False
    prefix: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """A query as alternatives (OR) of term groups (AND)."""

    text: str
    groups: tuple[tuple[Term, ...], ...]

    @property
    def blank(self) -> bool:
        """Nothing typed: browse everything (filters still apply)."""
        return not self.text

    @property
    def matches_nothing(self) -> bool:
        """Something typed but no word in it (only punctuation or emoji)."""
        return bool(self.text) and not self.groups

    @property
    def has_positive(self) -> bool:
        return any(not term.negated for group in self.groups for term in group)

    @property
    def exact(self) -> str:
        """The query as a name, for the exact-name boost."""
        return " ".join(self.text.replace('"', " ").split()).lower()

    def positive_words(self) -> list[tuple[str, bool]]:
        """Return (word, is_prefix) for every word a correction may replace."""
        found = []
        for group in self.groups:
            for term in group:
                if term.negated:
                    continue
                for index, word in enumerate(term.words):
                    found.append((word, term.prefix and index == len(term.words) - 1))
        return found


def clean(text: str) -> str:
    """Drop NUL and other control characters (the database drivers refuse some of them)."""
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in text or "")


def parse(raw: str) -> ParsedQuery:
    """Parse a typed query; raise BadQuery when it is too long to be a search."""
    text = clean(raw)
    if len(text) > MAX_QUERY_LENGTH:
        raise BadQuery(f"The query is too long (at most {MAX_QUERY_LENGTH} characters).")
    typing = bool(text) and not text[-1].isspace()
    text = text.strip()
    groups: list[list[Term]] = [[]]
    count = 0
    for match in CHUNK.finditer(text):
        negated, phrase, chunk = bool(match.group(1)), match.group(2), match.group(3)
        if phrase is None and not negated and chunk.lower() == "or":
            groups.append([])
            continue
        body = phrase if phrase is not None else chunk
        words = tuple(word.lower() for word in WORD.findall(body))
        if not words or count >= MAX_TERMS:
            continue
        count += 1
        groups[-1].append(Term(" ".join(body.split()), words, phrase is not None, negated))
    kept = [tuple(group) for group in groups if group]
    with_positive = [group for group in kept if any(not term.negated for term in group)]
    if with_positive:
        kept = with_positive
    elif kept:
        # Only exclusions: one group "everything except these".
        kept = [tuple(term for group in kept for term in group)]
    if typing and kept:
        kept[-1] = _mark_prefix(kept[-1], text)
    return ParsedQuery(text, tuple(kept))


def _mark_prefix(group: tuple[Term, ...], text: str) -> tuple[Term, ...]:
    last = group[-1]
    if last.negated or last.phrase or text.endswith('"'):
        return group
    return (*group[:-1], Term(last.text, last.words, prefix=True))


def light_stem(word: str) -> str | None:
    """Return a shorter form to match as a prefix ("engineers" → "engine"), or None."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return None


def replace_words(text: str, replacements: dict[str, str]) -> str:
    """Return `text` with whole words replaced, keeping the rest of the syntax as typed."""
    def swap(match: re.Match) -> str:
        return replacements.get(match.group(0).lower(), match.group(0))

    return WORD.sub(swap, text)
