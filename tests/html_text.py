"""The text a reader sees in an HTML page or fragment: tags dropped (user text sits in
`<span class="ugc" hx-disable>` wrappers), entities decoded, whitespace collapsed."""

import re
from html.parser import HTMLParser


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def text_of(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return re.sub(r"\s+", " ", "".join(parser.parts))
