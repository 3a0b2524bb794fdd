"""Find what a stored XSS payload could do in a response: scripts, handlers, htmx attributes,
javascript: URLs, evaluated templates, and user text outside an `hx-disable` container."""

import json
from html.parser import HTMLParser

# One payload per field, short enough for 100-character fields; SHORT for 50-character ones.
PAYLOAD = '<script>xa()</script>"><img src=x onerror=xb()><b hx-get=/logout hx-on:click=xc()>Z{{7*7}}Z</b>'
SHORT = "<script>xa()</script>Z{{7*7}}Z"
URL_PAYLOAD = "javascript:xd()"
MARKERS = ("xa()", "xb()", "xc()", "xd()")
EVALUATED = "Z49Z"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Text inside these is never parsed as markup by the browser or htmx.
RAW_TEXT = {"title", "textarea", "option", "script", "style"}
SAFE_ATTRIBUTES = {"value", "title", "alt", "aria-label", "placeholder", "content", "id", "name", "class"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "ws-connect", "hx-get", "hx-post", "hx-put",
                  "hx-patch", "hx-delete", "data-url"}


class Findings(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.problems: list[str] = []
        self.user_text = 0

    def _disabled(self) -> bool:
        return any(disabled for _, disabled in self.stack)

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        for name, raw in attrs:
            value = raw or ""
            if name.startswith("on") or name.startswith("hx-on"):
                self.problems.append(f"<{tag} {name}=…> handler")
            if name in URL_ATTRIBUTES and value.strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                self.problems.append(f"<{tag} {name}={value[:40]!r}> script URL")
            if any(marker in value for marker in MARKERS):
                if name.startswith("hx-") or name in URL_ATTRIBUTES or name == "style":
                    self.problems.append(f"payload in <{tag} {name}>")
                elif name not in SAFE_ATTRIBUTES and not name.startswith(("data-", "aria-")):
                    self.problems.append(f"payload in unexpected attribute <{tag} {name}>")
        if tag == "script" and not (dict(attrs).get("src") or "").startswith("/static/"):
            self.problems.append("inline <script>")
        if tag in ("img", "iframe", "object", "embed") and any(m in (dict(attrs).get("src") or "") for m in MARKERS):
            self.problems.append(f"injected <{tag}>")
        if tag not in VOID:
            self.stack.append((tag, "hx-disable" in names))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if EVALUATED in data:
            self.problems.append("template expression evaluated")
        if not any(marker in data for marker in MARKERS):
            return
        self.user_text += 1
        inside = {tag for tag, _ in self.stack}
        if inside & RAW_TEXT:
            return
        if not self._disabled():
            path = ">".join(tag for tag, _ in self.stack[-4:])
            self.problems.append(f"user text outside hx-disable at {path}: {data.strip()[:50]!r}")


def html_problems(body: str) -> tuple[list[str], int]:
    """Problems in an HTML document or fragment, and how many user-text nodes held the payload."""
    parser = Findings()
    parser.feed(body)
    parser.close()
    return parser.problems, parser.user_text


def json_problems(body: str) -> list[str]:
    """JSON is data, not markup; only fields documented as HTML (`snippet`) may hold tags, and only <mark>."""
    problems: list[str] = []

    def walk(value, key=None):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str):
            if key == "snippet":
                stripped = value.replace("<mark>", "").replace("</mark>", "")
                if "<" in stripped:
                    problems.append(f"markup in snippet: {value[:60]!r}")
            if EVALUATED in value:
                problems.append("template expression evaluated")

    walk(json.loads(body))
    return problems
