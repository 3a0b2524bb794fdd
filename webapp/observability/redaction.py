"""Keep secrets out of logs: passwords, tokens, cookies, Authorization, CSRF tokens."""

import re

REDACTED = "[redacted]"
SECRET_KEY = re.compile(r"pass(word)?|secret|token|authorization|cookie|csrf|session|api[_-]?key", re.I)
# `key=value`, `key: value` and `"key": "value"` forms inside free text, plus bearer credentials.
SECRET_PAIR = re.compile(
    r"""(?P<key>["']?[\w-]*(?:pass(?:word)?|secret|token|authorization|cookie|csrf|session|api[_-]?key)[\w-]*["']?)"""
    r"""(?P<sep>\s*[:=]\s*)(?P<quote>["']?)(?P<value>[^\s"'&,;}]+)""",
    re.I,
)
BEARER = re.compile(r"(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+", re.I)
# Personal API tokens look like "chub_…" wherever they appear.
TOKEN_VALUE = re.compile(r"\bchub_[A-Za-z0-9_-]{8,}")


def redact_text(text: str) -> str:
    """Mask secret-looking values in free text."""
    text = BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    text = TOKEN_VALUE.sub(REDACTED, text)
    return SECRET_PAIR.sub(lambda m: f"{m.group('key')}{m.group('sep')}{m.group('quote')}{REDACTED}", text)


def redact(value, key: str | None = None):
    """Mask a value whose key names a secret; recurse into dicts and lists; scrub strings."""
    if key is not None and SECRET_KEY.search(key) and value not in (None, "", [], {}):
        return REDACTED
    if isinstance(value, dict):
        return {k: redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    if isinstance(value, str):
        return redact_text(value)
    return value
