"""SQLite back-end: FTS5 MATCH built from parsed terms, bm25 with column weights, snippet()."""

from sqlalchemy import text
from sqlalchemy.orm import Session

from . import filters as facet_filters
from .backend import MARK_END, MARK_START, Page
from .query import ParsedQuery, Term, light_stem
from .saved import matching_sql

SKILL_MATCH = "EXISTS (SELECT 1 FROM json_each({alias}.skills) AS j WHERE j.value IN {param})"
SKILL_VALUES = ", json_each(m.skills) AS sk"
# bm25 weights for names, subtitle, body.
BM25 = "bm25(search_fts, 10.0, 4.0, 1.0)"
NAME_BONUS = 10.0


def _quoted(value: str) -> str:
    """An FTS5 string: any text inside double quotes is only tokenized, never parsed as syntax."""
    return '"' + value.replace('"', '""') + '"'


def _term_sql(term: Term) -> str:
    if term.prefix:
        return _quoted(term.text) + "*"
    if term.phrase or len(term.words) > 1:
        return _quoted(term.text)
    stem = light_stem(term.words[0])
    return f"({_quoted(term.text)} OR {_quoted(stem)}*)" if stem else _quoted(term.text)


def _group_sql(group: tuple[Term, ...]) -> str:
    positive = " AND ".join(_term_sql(term) for term in group if not term.negated)
    negative = " OR ".join(_term_sql(term) for term in group if term.negated)
    return f"({positive}) NOT ({negative})" if negative else f"({positive})"


def match_expression(parsed: ParsedQuery) -> str:
    """Return an FTS5 query for `parsed` (every user string is a quoted FTS5 string)."""
    return " OR ".join(_group_sql(group) for group in parsed.groups)


def exclusions(parsed: ParsedQuery) -> str:
    """For a query of only exclusions: the FTS5 query of what to leave out."""
    return " OR ".join(_term_sql(term) for group in parsed.groups for term in group)


class SqliteBackend:
    """Full-text search over the search_fts FTS5 index."""

    def __init__(self, session: Session):
        self.session = session

    def _match(self, parsed: ParsedQuery, params: dict) -> str:
        """Return the condition on d.id for the text part of the query."""
        if parsed.blank:
            return "TRUE"
        if not parsed.has_positive:
            params["match"] = exclusions(parsed)
            return "d.id NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH :match)"
        params["match"] = match_expression(parsed)
        return "d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH :match)"

    def page(self, parsed: ParsedQuery, filters: dict, limit: int, offset: int) -> Page:
        params = {"exact": parsed.exact, "limit": limit, "offset": offset, "on": MARK_START, "off": MARK_END}
        params |= facet_filters.params(filters)
        narrowed = facet_filters.where(filters, "d", SKILL_MATCH)
        exact = "(lower(d.title) = :exact OR (d.kind <> 'opportunity' AND lower(d.slug) = :exact))"
        if parsed.has_positive:
            params["match"] = match_expression(parsed)
            source = "search_fts JOIN search_documents d ON d.id = search_fts.rowid"
            match = "search_fts MATCH :match"
            # A name matching the whole query outranks any number of mentions further down.
            params["names_match"] = f"names : ({params['match']})"
            score = (
                f"(-{BM25} + CASE WHEN d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH :names_match)"
                f" THEN {NAME_BONUS} ELSE 0 END) * CASE WHEN d.is_closed THEN 0.5 ELSE 1 END"
            )
            snippet = "snippet(search_fts, -1, :on, :off, ' … ', 24)"
        else:
            source, score = "search_documents d", "0.0"
            match = self._match(parsed, params)
            snippet = "substr(d.subtitle || ' ' || d.body, 1, 240)"
        sql = f"""
            SELECT d.id, d.kind, d.ref_id, d.slug, d.title, d.created_at, {score} AS score, {exact} AS exact,
                   {snippet} AS snippet
            FROM {source}
            WHERE {match} AND {narrowed}
            ORDER BY exact DESC, score DESC, d.created_at DESC, d.id DESC
            LIMIT :limit OFFSET :offset"""
        statement = text(sql).bindparams(*facet_filters.expanding(filters, skill_is_array=False))
        rows = [dict(row) for row in self.session.execute(statement, params).mappings()]
        # FTS5 auxiliary functions cannot share a query with a window function: count apart.
        count_sql = f"SELECT count(*) FROM {source} WHERE {match} AND {narrowed}"
        total = self.session.execute(
            text(count_sql).bindparams(*facet_filters.expanding(filters, skill_is_array=False)), params
        ).scalar_one()
        return Page(rows, total)

    def facets(self, parsed: ParsedQuery, filters: dict) -> list[tuple[str, str, int]]:
        params = facet_filters.params(filters)
        match = self._match(parsed, params)
        sql = (
            "WITH m AS MATERIALIZED (SELECT d.kind, d.industry, d.stage, d.role, d.location, d.skills "
            f"FROM search_documents d WHERE {match})\n"
            + facet_filters.facet_sql(filters, SKILL_MATCH, SKILL_VALUES)
        )
        statement = text(sql).bindparams(*facet_filters.expanding(filters, skill_is_array=False))
        return [tuple(row) for row in self.session.execute(statement, params)]

    def known(self, word: str, prefix: bool) -> bool:
        # fts5vocab seeks on term ranges, so these are index look-ups, not scans.
        if prefix:
            sql = "SELECT 1 FROM search_vocab WHERE term >= :word AND term < :word || char(1114111) LIMIT 1"
        else:
            sql = "SELECT 1 FROM search_vocab WHERE term = :word"
        return self.session.execute(text(sql), {"word": word}).first() is not None

    def candidates(self, word: str) -> list[tuple[str, int]]:
        # Same first or second letter (a typo rarely hits both), similar length.
        found = []
        for initial in dict.fromkeys(word[:2]):
            sql = """SELECT term, doc FROM search_vocab WHERE term >= :lo AND term < :lo || char(1114111)
                     AND length(term) BETWEEN :shortest AND :longest"""
            params = {"lo": initial, "shortest": len(word) - 2, "longest": len(word) + 2}
            found += [tuple(row) for row in self.session.execute(text(sql), params)]
        return found

    def compile(self, parsed: ParsedQuery) -> tuple[str, str | None]:
        if parsed.blank:
            return "all", None
        if not parsed.has_positive:
            return "exclude", exclusions(parsed)
        return "match", match_expression(parsed)

    def saved_matching(self, kind: str, ref_id: int, actor_id: int | None) -> list[dict]:
        # Each stored expression runs as an FTS5 query pinned to this one rowid.
        one_row = "SELECT rowid FROM search_fts WHERE search_fts MATCH s.compiled AND rowid = d.id"
        condition = (
            f"(s.match_mode = 'all' OR (s.match_mode = 'match' AND d.id IN ({one_row}))"
            f" OR (s.match_mode = 'exclude' AND d.id NOT IN ({one_row})))"
        )
        sql = matching_sql(kind, condition)
        rows = self.session.execute(text(sql), {"ref_id": ref_id, "actor_id": actor_id or 0}).mappings()
        return [dict(row) for row in rows]
