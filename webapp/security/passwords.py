"""Refuse passwords that are common or trivially guessable (zxcvbn: a 30,000-entry common list plus patterns)."""

from zxcvbn import zxcvbn

# zxcvbn's own limit; the rest of a long passphrase only adds strength.
ZXCVBN_MAX = 72
# 0 = too guessable, 1 = very guessable (< 10^6 guesses): refused. 2+ = somewhat guessable or better.
MIN_SCORE = 2


def weakness(password: str, *context: str) -> str | None:
    """Return why `password` is refused (common, or built from the user's own name/email), or None."""
    if not password:
        return None
    result = zxcvbn(password[:ZXCVBN_MAX], user_inputs=[item for item in context if item])
    if result["score"] >= MIN_SCORE:
        return None
    hint = (result.get("feedback") or {}).get("warning") or "This password is too common or easy to guess."
    return f"{hint.rstrip('.')}. Try a longer passphrase of unrelated words."
