"""Import JSON Lines (SPEC §3.8) through the write services, all or nothing.

Two passes. First every line is parsed and validated on its own (JSON, `kind`, fields
against the shared import schemas); every malformed line is reported. Only a file with
no malformed line reaches the second pass, which applies the lines in file order inside
one unit of work: a line may refer to rows already in the database or defined on an
EARLIER line, never a later one. The first line the services refuse (an unknown
reference, a closed opportunity, a taken email…) is reported and the whole import is
rolled back, since the lines after it may depend on it. Blank lines are skipped.
"""

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from marshmallow import Schema
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import ActivityEvent
from ..schemas.inputs import (
    ApplicationImportSchema,
    FollowImportSchema,
    OpportunityImportSchema,
    StartupImportSchema,
    UserImportSchema,
)
from . import upserts
from .errors import ServiceError, ValidationFailed
from .transaction import atomic
from .validation import load

KINDS: dict[str, tuple[type[Schema], Callable[[dict, bool], str]]] = {
    "user": (UserImportSchema, upserts.upsert_user),
    "startup": (StartupImportSchema, upserts.upsert_startup),
    "opportunity": (OpportunityImportSchema, upserts.upsert_opportunity),
    "follow": (FollowImportSchema, upserts.upsert_follow),
    "application": (ApplicationImportSchema, upserts.upsert_application),
}


class LineError(Exception):
    """One line cannot be imported; the message says why."""


class ImportFailed(Exception):
    """The import was refused and nothing was written; `errors` lists (line number, reason)."""

    def __init__(self, errors: list[tuple[int, str]]):
        super().__init__(f"{len(errors)} bad line(s)")
        self.errors = errors


@dataclass
class ImportResult:
    lines: int = 0
    events: int = 0
    counts: dict[str, Counter] = field(default_factory=lambda: {kind: Counter() for kind in KINDS})


def parse_line(raw: bytes | str) -> tuple[str, dict]:
    """Return (kind, validated fields) for one line, or raise LineError."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise LineError("not valid UTF-8") from None
    try:
        # A byte-order mark (files saved by some editors) is not part of the data.
        data = json.loads(raw.strip().lstrip("\ufeff"), parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise LineError(f"invalid JSON: {exc.msg} at column {exc.colno}") from None
    except (ValueError, RecursionError) as exc:
        raise LineError(f"invalid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise LineError("must be a JSON object")
    kind = data.pop("kind", None)
    if kind not in KINDS:
        if kind is None:
            raise LineError("missing 'kind'")
        raise LineError(f"unknown kind {json.dumps(kind)[:60]} (expected one of: {', '.join(KINDS)})")
    schema, _ = KINDS[kind]
    try:
        return kind, load(schema(), data)
    except ValidationFailed as exc:
        raise LineError(describe(exc)) from None


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def describe(exc: ServiceError) -> str:
    """Turn a service refusal into one line of text, naming each bad field."""
    if not exc.fields:
        return exc.message
    return "; ".join(_flatten(exc.fields))


def _flatten(messages, path: str = "") -> list[str]:
    if isinstance(messages, dict):
        parts = []
        for key, value in messages.items():
            name = path if key == "_schema" else f"{path}.{key}" if path else str(key)
            parts.extend(_flatten(value, name))
        return parts
    if isinstance(messages, list | tuple):
        text = " ".join(str(message) for message in messages)
        return [f"{path}: {text}" if path else text]
    return [f"{path}: {messages}" if path else str(messages)]


def validate_lines(lines: Iterable[bytes | str]) -> list[tuple[int, str, dict]]:
    """Parse every non-blank line; raise ImportFailed listing every malformed one."""
    records, errors = [], []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            records.append((number, *parse_line(raw)))
        except LineError as exc:
            errors.append((number, str(exc)))
    if errors:
        raise ImportFailed(errors)
    return records


def import_lines(lines: Iterable[bytes | str], record: bool = True) -> ImportResult:
    """Validate then apply every line in one unit of work; raise ImportFailed and write nothing on error."""
    records = validate_lines(lines)
    result = ImportResult(lines=len(records))
    with atomic():
        first_event = db.session.scalar(select(func.coalesce(func.max(ActivityEvent.id), 0)))
        for number, kind, fields in records:
            _, upsert = KINDS[kind]
            try:
                outcome = upsert(fields, record)
            except ServiceError as exc:
                raise ImportFailed([(number, describe(exc))]) from None
            except IntegrityError:
                # A concurrent writer took a natural key between our check and the insert.
                raise ImportFailed([(number, f"conflicts with a {kind} written meanwhile; run it again")]) from None
            result.counts[kind][outcome] += 1
        result.events = db.session.scalar(
            select(func.count()).select_from(ActivityEvent).where(ActivityEvent.id > first_event)
        )
    return result
