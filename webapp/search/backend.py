"""The one search interface both back-ends implement, and what they return."""

from dataclasses import dataclass
from typing import Protocol

from .query import ParsedQuery

# Private-use characters mark matches in snippets; the text is HTML-escaped before they
# become <mark> tags, so a document can never inject markup.
MARK_START = "\ue000"
MARK_END = "\ue001"


@dataclass
class Page:
    """One page of ranked rows and the total number of matches."""

    rows: list[dict]
    total: int


class Backend(Protocol):
    def page(self, parsed: ParsedQuery, filters: dict, limit: int, offset: int) -> Page:
        """Return ranked documents with snippets."""

    def facets(self, parsed: ParsedQuery, filters: dict) -> list[tuple[str, str, int]]:
        """Return (dimension, value, count) rows."""

    def known(self, word: str, prefix: bool) -> bool:
        """Whether an indexed word is `word` (or starts with it)."""

    def candidates(self, word: str) -> list[tuple[str, float]]:
        """Return indexed words `word` may have meant, each with a weight (higher: likelier)."""

    def compile(self, parsed: ParsedQuery) -> tuple[str, str | None]:
        """Return (match mode, stored expression) for a saved search: all, match or exclude."""

    def saved_matching(self, kind: str, ref_id: int, actor_id: int | None) -> list[dict]:
        """Return the saved searches whose text matches one document, with the document's facets."""

