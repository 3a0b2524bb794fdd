"""Facet filters as SQL conditions with bound values, and the facet query both back-ends share."""

from sqlalchemy import bindparam

DIMENSIONS = ("type", "industry", "stage", "skill", "role", "location")
TOP_N = 20
# Facet columns on a search_documents row (the "type" facet is the document kind).
COLUMNS = {"type": "kind", "industry": "industry", "stage": "stage", "role": "role", "location": "location"}
CASE_FREE = ("industry", "location")


def condition(dimension: str, alias: str, skill_match: str) -> str:
    """Return the SQL condition for one dimension (values bound as :f_<dimension>)."""
    if dimension == "skill":
        return skill_match.format(alias=alias, param=":f_skill")
    column = f"{alias}.{COLUMNS[dimension]}"
    if dimension in CASE_FREE:
        column = f"lower({column})"
    return f"{column} IN :f_{dimension}"


def where(filters: dict, alias: str, skill_match: str, skip: str | None = None) -> str:
    """AND the conditions of every active filter except `skip`."""
    parts = [condition(name, alias, skill_match) for name in DIMENSIONS if filters.get(name) and name != skip]
    return " AND ".join(parts) or "TRUE"


def params(filters: dict) -> dict:
    """Bound values: lists for IN, lowercased where matching ignores case."""
    values = {}
    for name in DIMENSIONS:
        if filters.get(name):
            wanted = [value.lower() for value in filters[name]] if name in CASE_FREE else list(filters[name])
            values[f"f_{name}"] = wanted
    return values


def expanding(filters: dict, skill_is_array: bool) -> list:
    """The bindparams a text() statement needs for the IN lists."""
    return [
        bindparam(f"f_{name}", expanding=True)
        for name in DIMENSIONS
        if filters.get(name) and not (name == "skill" and skill_is_array)
    ]


def facet_sql(filters: dict, skill_match: str, skill_values: str) -> str:
    """UNION ALL of one grouped count per dimension over the matched set `m`.

    Each dimension counts under every filter except its own, so a reader can widen it.
    """
    parts = []
    for name in DIMENSIONS:
        others = where(filters, "m", skill_match, skip=name)
        if name == "skill":
            source, value = f"m{skill_values}", "sk.value"
        else:
            source, value = "m", f"m.{COLUMNS[name]}"
        parts.append(
            f"SELECT * FROM (SELECT '{name}' AS dim, {value} AS value, count(*) AS n FROM {source} "
            f"WHERE {value} IS NOT NULL AND {others} GROUP BY {value} ORDER BY n DESC, value LIMIT {TOP_N}) AS f_{name}"
        )
    return "\nUNION ALL ".join(parts)
