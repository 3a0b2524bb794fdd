"""Typo tolerance: replace words nothing is indexed under by the nearest indexed word."""

from .backend import Backend
from .query import ParsedQuery, replace_words


def edit_distance(a: str, b: str) -> int:
    """Return the optimal-string-alignment distance (a swap of neighbours counts once)."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def best_match(word: str, candidates: list[tuple[str, float]]) -> str | None:
    """Pick the closest candidate within the typo budget; the heavier (likelier) word wins ties."""
    budget = 1 if len(word) <= 4 else 2
    scored = []
    for candidate, weight in candidates:
        if candidate == word:
            continue
        distance = edit_distance(word, candidate)
        if distance <= budget:
            scored.append((distance, -weight, candidate))
    return min(scored)[2] if scored else None


def correct(parsed: ParsedQuery, backend: Backend) -> str | None:
    """Return the query with misspelt words corrected, or None when nothing needs it."""
    replacements = {}
    for word, prefix in parsed.positive_words():
        if len(word) < 3 or word.isdigit() or word in replacements or backend.known(word, prefix):
            continue
        best = best_match(word, backend.candidates(word))
        if best:
            replacements[word] = best
    if not replacements:
        return None
    return replace_words(parsed.text, replacements)
