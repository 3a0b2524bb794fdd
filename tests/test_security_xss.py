"""Stored XSS (issue 10, item 5): a payload in every user-editable field the API accepts, then
every page, fragment, API response and websocket frame is checked for anything that could run."""


import pytest

from webapp.services import accounts

from .factories import PASSWORD
from .live_server import LiveServer, receive_until, wait_for
from .security_world import api_operations, api_url, build_world, page_urls
from .xss_check import PAYLOAD, SHORT, URL_PAYLOAD, html_problems, json_problems

WRITERS = ("founder", "talent", "investor", "other_founder")


def _schema(document, schema):
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _references(world) -> dict:
    return {"startup": world.startup.slug, "user": world.bystander.username,
            "opportunity": world.opportunity.id, "status": "shortlisted"}


def _body(document, schema, references) -> dict:
    schema = _schema(document, schema)
    body = {}
    for name, raw in (schema.get("properties") or {}).items():
        prop = _schema(document, raw)
        if name in references:
            body[name] = references[name]
        elif "enum" in prop:
            body[name] = prop["enum"][0]
        elif prop.get("type") == "string":
            body[name] = PAYLOAD
        elif prop.get("type") == "object" and prop.get("properties"):
            body[name] = _body(document, prop, references)
    return body


def store_payload_everywhere(client, world) -> list[str]:
    """POST/PATCH the payload into every string field of every API write; return the fields stored."""
    document = client.get("/api/v1/openapi.json").get_json()
    references = _references(world)
    stored = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in ("post", "patch", "put") or "requestBody" not in operation:
                continue
            schema = operation["requestBody"]["content"]["application/json"]["schema"]
            body = _body(document, schema, references)
            for writer in WRITERS:
                attempt = dict(body)
                for _ in range(6):
                    response = client.open(api_url(path, world, writer), method=method.upper(), json=attempt,
                                           headers={"Authorization": f"Bearer {world.tokens[writer]}"})
                    assert response.status_code < 500, (method, path, response.get_data(as_text=True)[:300])
                    fields = ((response.get_json() or {}).get("error") or {}).get("fields") or {}
                    if response.status_code != 422 or not fields:
                        break
                    for name in fields:
                        value = attempt.get(name)
                        if value == PAYLOAD:
                            attempt[name] = SHORT
                        elif value == SHORT:
                            attempt[name] = URL_PAYLOAD
                        else:
                            attempt.pop(name, None)
                if response.status_code < 300:
                    stored += [f"{method.upper()} {path} {k}" for k, v in attempt.items()
                               if v in (PAYLOAD, SHORT, URL_PAYLOAD)]
                    break
    return stored


@pytest.fixture
def world(app):
    return build_world()


def _browser(app, username):
    browser = app.test_client()
    assert browser.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return browser


def test_stored_payloads_never_execute_on_any_surface(app, world, capsys):
    live = LiveServer(app)
    try:
        cookie = _browser(app, "fiona").get_cookie("session").value
        html_socket = live.connect("", headers={"Cookie": f"session={cookie}", "Origin": live.origin})
        json_socket = live.connect("?format=json", token=world.tokens["founder"])
        wait_for(lambda: app.extensions["channel_layer"].connection_count() == 2)
        client = app.test_client()
        stored = store_payload_everywhere(client, world)
        accounts.create_token(world.founder, {"name": PAYLOAD})
        frames = receive_until(html_socket, lambda m: False, timeout=3) + receive_until(json_socket, lambda m: False,
                                                                                          timeout=1)
    finally:
        live.stop()
    assert len(stored) >= 15, stored
    problems, surfaces, text_nodes = [], 0, 0
    for viewer in (None, "founder", "talent", "investor", "admin"):
        browser = _browser(app, world.users()[viewer].username) if viewer else app.test_client()
        for url in page_urls(app, world, viewer) + ["/search?q=script", "/admin/events/", "/admin/users/"]:
            for headers in ({}, {"HX-Request": "true"}):
                response = browser.get(url, headers=headers)
                if response.mimetype != "text/html":
                    continue
                found, nodes = html_problems(response.get_data(as_text=True))
                problems += [f"{viewer} {url} {headers}: {p}" for p in found]
                surfaces, text_nodes = surfaces + 1, text_nodes + nodes
    for method, template in api_operations(client):
        if method != "GET":
            continue
        for viewer in ("founder", "talent"):
            response = client.get(api_url(template, world, viewer) + ("?q=script" if "search" in template else ""),
                                  headers={"Authorization": f"Bearer {world.tokens[viewer]}"})
            if response.status_code == 200:
                assert response.mimetype == "application/json"
                problems += [f"API {template}: {p}" for p in json_problems(response.get_data(as_text=True))]
                surfaces += 1
    for frame in frames:
        if frame.startswith("{"):
            problems += [f"ws json: {p}" for p in json_problems(frame)]
        else:
            found, nodes = html_problems(frame)
            problems += [f"ws html: {p}" for p in found]
            text_nodes += nodes
        surfaces += 1
    with capsys.disabled():
        print(f"\nXSS: {len(stored)} fields stored × {surfaces} surfaces ({len(frames)} socket frames), "
              f"{text_nodes} payload text nodes, {len(problems)} problems")
    assert text_nodes > 50
    assert problems == [], "\n".join(sorted({p.split(": ", 1)[1] if ": " in p else p for p in problems}))
