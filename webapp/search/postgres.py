"""PostgreSQL back-end: tsquery built from parsed terms, ts_rank_cd, ts_headline, pg_trgm."""

from sqlalchemy import text
from sqlalchemy.orm import Session

from . import filters as facet_filters
from .backend import MARK_END, MARK_START, Page
from .query import ParsedQuery, Term
from .saved import matching_sql

SKILL_MATCH = "{alias}.skills && CAST({param} AS text[])"
SKILL_VALUES = ", unnest(m.skills) AS sk(value)"
# Weights for D, C, B, A: a name beats a tagline beats a description.
WEIGHTS = "'{0.1, 0.2, 0.4, 1.0}'"
HEADLINE = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=10, MaxFragments=2, "
    'FragmentDelimiter=" … "'
)
TRIGRAM_THRESHOLD = "0.3"
NAME_BONUS = 1.0


def _term_sql(term: Term, params: dict) -> str:
    key = f"t{len(params)}"
    params[key] = term.text
    if term.phrase:
        expr = f"phraseto_tsquery('english', :{key})"
    elif term.prefix:
        # Words are letters and digits only, so quoting them cannot break to_tsquery.
        prefix_key = f"p{len(params)}"
        lexemes = [f"'{word}'" for word in term.words]
        lexemes[-1] += ":*"
        params[prefix_key] = " & ".join(lexemes)
        expr = f"(plainto_tsquery('english', :{key}) || to_tsquery('simple', :{prefix_key}))"
    else:
        expr = f"plainto_tsquery('english', :{key})"
    return f"!!{expr}" if term.negated else expr


def tsquery(parsed: ParsedQuery, params: dict) -> str:
    """Return a tsquery expression for `parsed`, its values added to `params` as bound values."""
    groups = ["(" + " && ".join(_term_sql(term, params) for term in group) + ")" for group in parsed.groups]
    return "(" + " || ".join(groups) + ")"


class PostgresBackend:
    """Full-text search over search_documents.document (GIN)."""

    def __init__(self, session: Session):
        self.session = session

    def _match(self, parsed: ParsedQuery, params: dict) -> tuple[str, str]:
        """Return (where, rank) SQL for the text part of the query."""
        if parsed.blank:
            return "TRUE", "0.0"
        query = tsquery(parsed, params)
        # A name matching the whole query outranks any number of mentions further down.
        rank = (
            f"(ts_rank_cd({WEIGHTS}, d.document, {query}, 1)"
            f" + CASE WHEN ts_filter(d.document, '{{a}}') @@ {query} THEN {NAME_BONUS} ELSE 0 END)"
            " * CASE WHEN d.is_closed THEN 0.5 ELSE 1 END"
        )
        return f"d.document @@ {query}", rank

    def page(self, parsed: ParsedQuery, filters: dict, limit: int, offset: int) -> Page:
        params = {"exact": parsed.exact, "limit": limit, "offset": offset, "headline": HEADLINE}
        params |= facet_filters.params(filters)
        match, rank = self._match(parsed, params)
        narrowed = facet_filters.where(filters, "d", SKILL_MATCH)
        snippet = (
            "left(p.subtitle || ' ' || p.body, 240)" if parsed.blank or not parsed.has_positive
            else f"ts_headline('english', p.subtitle || ' ' || p.body, {tsquery(parsed, params)}, :headline)"
        )
        order = "p.exact DESC, p.score DESC, p.created_at DESC, p.id DESC"
        sql = f"""
            SELECT p.*, {snippet} AS snippet FROM (
                SELECT d.id, d.kind, d.ref_id, d.slug, d.title, d.subtitle, d.body, d.created_at,
                       {rank} AS score,
                       (lower(d.title) = :exact OR (d.kind <> 'opportunity' AND lower(d.slug) = :exact)) AS exact,
                       count(*) OVER () AS total
                FROM search_documents d
                WHERE {match} AND {narrowed}
                ORDER BY exact DESC, score DESC, d.created_at DESC, d.id DESC
                LIMIT :limit OFFSET :offset
            ) AS p ORDER BY {order}"""
        statement = text(sql).bindparams(*facet_filters.expanding(filters, skill_is_array=True))
        rows = self.session.execute(statement, params).mappings().all()
        if rows:
            return Page([dict(row) for row in rows], rows[0]["total"])
        count_sql = f"SELECT count(*) FROM search_documents d WHERE {match} AND {narrowed}"
        count = self.session.execute(text(count_sql).bindparams(*facet_filters.expanding(filters, True)), params)
        return Page([], count.scalar_one() if offset else 0)

    def facets(self, parsed: ParsedQuery, filters: dict) -> list[tuple[str, str, int]]:
        params = facet_filters.params(filters)
        match, _ = self._match(parsed, params)
        sql = (
            "WITH m AS MATERIALIZED (SELECT d.kind, d.industry, d.stage, d.role, d.location, d.skills "
            f"FROM search_documents d WHERE {match})\n"
            + facet_filters.facet_sql(filters, SKILL_MATCH, SKILL_VALUES)
        )
        statement = text(sql).bindparams(*facet_filters.expanding(filters, skill_is_array=True))
        return [tuple(row) for row in self.session.execute(statement, params)]

    def known(self, word: str, prefix: bool) -> bool:
        if prefix:
            sql = "SELECT EXISTS (SELECT 1 FROM search_words WHERE word LIKE :pattern)"
            return self.session.execute(text(sql), {"pattern": word + "%"}).scalar_one()
        sql = "SELECT EXISTS (SELECT 1 FROM search_words WHERE word = :word)"
        return self.session.execute(text(sql), {"word": word}).scalar_one()

    def candidates(self, word: str) -> list[tuple[str, int]]:
        # Trigram neighbours from the GIN index, plus same-initial words of similar length,
        # which short words need (one typo in four letters leaves few shared trigrams).
        self.session.execute(
            text("SELECT set_config('pg_trgm.similarity_threshold', :limit, true)"), {"limit": TRIGRAM_THRESHOLD}
        )
        sql = """
            (SELECT word, similarity(word, :word) AS weight FROM search_words WHERE word % :word
               ORDER BY weight DESC LIMIT 30)
            UNION
            (SELECT word, similarity(word, :word) FROM search_words WHERE word LIKE :initial
               AND char_length(word) BETWEEN :shortest AND :longest LIMIT 300)"""
        params = {"word": word, "initial": word[0] + "%", "shortest": len(word) - 2, "longest": len(word) + 2}
        return [(found, weight) for found, weight in self.session.execute(text(sql), params)]

    def compile(self, parsed: ParsedQuery) -> tuple[str, str | None]:
        if parsed.blank:
            return "all", None
        # The tsquery as text: the same lexemes, prefixes, phrases and negations the search uses.
        params: dict = {}
        query = tsquery(parsed, params)
        return "match", self.session.execute(text(f"SELECT CAST({query} AS text)"), params).scalar_one()

    def saved_matching(self, kind: str, ref_id: int, actor_id: int | None) -> list[dict]:
        condition = "(s.match_mode = 'all' OR d.document @@ CAST(s.compiled AS tsquery))"
        sql = matching_sql(kind, condition)
        rows = self.session.execute(text(sql), {"ref_id": ref_id, "actor_id": actor_id or 0}).mappings()
        return [dict(row) for row in rows]
