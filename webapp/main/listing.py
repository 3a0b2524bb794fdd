"""Query-string parsing for the list pages: page numbers, filter values, one page of rows."""

from collections.abc import Callable
from dataclasses import dataclass

from flask import request

PER_PAGE = 20
# Deeper than anyone browses; keeps OFFSET (and the number in the URL) bounded.
MAX_PAGE = 10_000


@dataclass
class Page:
    items: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_number() -> int:
    """The requested page, 1 when missing or not a sensible number."""
    number = request.args.get("page", 1, type=int)
    return min(max(number, 1), MAX_PAGE)


def text_arg(name: str, max_length: int = 50) -> str | None:
    """A trimmed filter value; None when empty, too long or holding control characters."""
    value = (request.args.get(name) or "").strip()
    if not value or len(value) > max_length or any(ord(ch) < 32 for ch in value):
        return None
    return value


def choice_arg(name: str, choices) -> str | None:
    """A filter value that must be one of `choices`; anything else means no filter."""
    value = request.args.get(name)
    return value if value in choices else None


def paginate(fetch: Callable[..., list], **filters) -> Page:
    """Fetch one page of rows; one extra row tells whether a next page exists."""
    number = page_number()
    rows = fetch(limit=PER_PAGE + 1, offset=(number - 1) * PER_PAGE, **filters)
    return Page(items=rows[:PER_PAGE], number=number, has_next=len(rows) > PER_PAGE)


def filter_args(*names: str) -> dict:
    """The current filters, for pagination links that keep them."""
    return {name: request.args[name] for name in names if request.args.get(name)}
