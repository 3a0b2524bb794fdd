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
# Above this many matches only a candidate set is scored (see _candidates).
RANK_ALL_UP_TO = 1000
CANDIDATES = 500
# Same expressions as the indexes ix_search_documents_names, _title_lower and _slug_lower.
NAMES_VECTOR = "(to_tsvector('english', d.names) || to_tsvector('simple', d.names))"
EXACT = "(lower(d.title) = :exact OR (d.kind <> 'opportunity' AND lower(d.slug) = :exact))"


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
        self._memo: dict = {}

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
        total = self._stats(parsed, filters)[0]
        if total == 0 or offset >= total:
            return Page([], total)
        params = {"exact": parsed.exact, "limit": limit, "offset": offset, "headline": HEADLINE}
        params |= facet_filters.params(filters)
        match, rank = self._match(parsed, params)
        narrowed = facet_filters.where(filters, "d", SKILL_MATCH)
        if total > RANK_ALL_UP_TO and not parsed.blank:
            # Too many matches to score every one: score a candidate set taken from indexes.
            params["ids"] = self._candidates(parsed, filters, max(CANDIDATES, offset + limit))
            narrowed += " AND d.id = ANY(:ids)"
        snippet = (
            "left(p.subtitle || ' ' || p.body, 240)" if parsed.blank or not parsed.has_positive
            else f"ts_headline('english', p.subtitle || ' ' || p.body, {tsquery(parsed, params)}, :headline)"
        )
        order = "p.exact DESC, p.score DESC, p.created_at DESC, p.id DESC"
        sql = f"""
            SELECT p.*, {snippet} AS snippet FROM (
                SELECT d.id, d.kind, d.ref_id, d.slug, d.title, d.subtitle, d.body, d.created_at,
                       {rank} AS score, {EXACT} AS exact
                FROM search_documents d
                WHERE {match} AND {narrowed}
                ORDER BY exact DESC, score DESC, d.created_at DESC, d.id DESC
                LIMIT :limit OFFSET :offset
            ) AS p ORDER BY {order}"""
        statement = text(sql).bindparams(*facet_filters.expanding(filters, skill_is_array=True))
        rows = self.session.execute(statement, params).mappings().all()
        return Page([dict(row) for row in rows], total)

    def _candidates(self, parsed: ParsedQuery, filters: dict, wanted: int) -> list[int]:
        """Ids worth scoring: exact names, the newest name matches, then the newest of the rest.

        Each part is read from an index (lower(title)/lower(slug), the names GIN index), so
        the cost follows `wanted`, not the number of matches. A name match always carries
        the name bonus, so the best-ranked documents are among these.
        """
        params = {"exact": parsed.exact, "wanted": wanted} | facet_filters.params(filters)
        match, _ = self._match(parsed, params)
        query = tsquery(parsed, params)
        narrowed = facet_filters.where(filters, "d", SKILL_MATCH)
        parts = [
            f"(SELECT d.id FROM search_documents d WHERE {EXACT} AND {match} AND {narrowed})",
            f"(SELECT d.id FROM search_documents d WHERE {NAMES_VECTOR} @@ {query} AND {match} AND {narrowed} "
            "ORDER BY d.created_at DESC LIMIT :wanted)",
        ]
        expanding = facet_filters.expanding(filters, skill_is_array=True)
        ids = list(self.session.scalars(text(" UNION ".join(parts)).bindparams(*expanding), params))
        if len(ids) < wanted:
            fill = (f"SELECT d.id FROM search_documents d WHERE {match} AND {narrowed} "
                    "ORDER BY d.created_at DESC, d.id DESC LIMIT :wanted")
            ids = list(dict.fromkeys(ids + list(self.session.scalars(text(fill).bindparams(*expanding), params))))
        return ids

    def facets(self, parsed: ParsedQuery, filters: dict) -> list[tuple[str, str, int]]:
        return self._stats(parsed, filters)[1]

    def _stats(self, parsed: ParsedQuery, filters: dict) -> tuple[int, list[tuple[str, str, int]]]:
        """The match count and every facet, from one scan of the matched rows (memoized per search)."""
        key = (parsed, tuple(sorted(filters.items())))
        if key not in self._memo:
            self._memo[key] = self._count_and_facets(parsed, filters)
        return self._memo[key]

    def _count_and_facets(self, parsed: ParsedQuery, filters: dict) -> tuple[int, list[tuple[str, str, int]]]:
        params = facet_filters.params(filters)
        match, _ = self._match(parsed, params)
        scalar = [name for name in facet_filters.DIMENSIONS if name != "skill"]
        columns = [f"m.{facet_filters.COLUMNS[name]}" for name in scalar]
        # One pass over the matches: a grouping set per dimension, each counted under every
        # filter but its own (FILTER), and the empty set for the total under all filters.
        counts = "".join(
            f"count(*) FILTER (WHERE {facet_filters.where(filters, 'm', SKILL_MATCH, skip=name)}) AS n_{name}, "
            for name in scalar
        )
        everything = (1 << len(columns)) - 1
        picks = [
            f"SELECT '{name}' AS dim, CAST({column.removeprefix('m.')} AS text) AS value, n_{name} AS n FROM g "
            f"WHERE grouped = {everything ^ (1 << (len(columns) - 1 - index))} "
            f"AND {column.removeprefix('m.')} IS NOT NULL AND n_{name} > 0"
            for index, (name, column) in enumerate(zip(scalar, columns, strict=True))
        ]
        skills = (
            f"SELECT * FROM (SELECT 'skill', sk.value, count(*) AS n FROM m{SKILL_VALUES} "
            f"WHERE {facet_filters.where(filters, 'm', SKILL_MATCH, skip='skill')} "
            f"GROUP BY sk.value ORDER BY n DESC, sk.value LIMIT {facet_filters.TOP_N}) AS s"
        )
        sql = f"""
            WITH m AS MATERIALIZED (SELECT d.kind, d.industry, d.stage, d.role, d.location, d.skills
                                    FROM search_documents d WHERE {match}),
            g AS (SELECT {", ".join(columns)}, {counts}
                         count(*) FILTER (WHERE {facet_filters.where(filters, "m", SKILL_MATCH)}) AS n_all,
                         GROUPING({", ".join(columns)}) AS grouped
                  FROM m GROUP BY GROUPING SETS ({", ".join(f"({column})" for column in columns)}, ()))
            {" UNION ALL ".join(picks)}
            UNION ALL SELECT '', NULL, n_all FROM g WHERE grouped = {everything}
            UNION ALL {skills}"""
        statement = text(sql).bindparams(*facet_filters.expanding(filters, skill_is_array=True))
        total, found = 0, {name: [] for name in facet_filters.DIMENSIONS}
        for dim, value, n in self.session.execute(statement, params):
            if dim == "":
                total = n
            else:
                found[dim].append((value, n))
        rows = []
        for name in facet_filters.DIMENSIONS:
            ranked = sorted(found[name], key=lambda item: (-item[1], item[0]))[:facet_filters.TOP_N]
            rows += [(name, value, n) for value, n in ranked]
        return total, rows

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
