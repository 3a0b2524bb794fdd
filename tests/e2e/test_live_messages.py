"""Messaging in two real browsers: each sees the other's messages arrive live, and the read receipt."""

import json
import time
import urllib.request

from .conftest import _flask, log_in


def _sockets(live_server) -> int:
    with urllib.request.urlopen(live_server["base"] + "/metrics/") as response:
        return json.loads(response.read())["websocket_connections"]


def _wait_for_sockets(live_server, count: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while _sockets(live_server) < count:
        assert time.monotonic() < deadline, f"fewer than {count} sockets open"
        time.sleep(0.1)


def test_two_people_exchange_messages_live(browser, live_server):
    contexts = [browser.new_context(), browser.new_context()]
    try:
        carmen, lucas = (context.new_page() for context in contexts)
        log_in(carmen, live_server, "carmen_ruiz")
        log_in(lucas, live_server, "lucas_moreau")

        carmen.goto(live_server["base"] + "/messages/new?user=lucas_moreau")
        carmen.fill("#compose-body", "Hi Lucas, got a minute?")
        carmen.click("form.compose button[type=submit]")
        carmen.wait_for_url("**/conversations/*")
        conversation_url = carmen.url
        lucas.goto(conversation_url)
        lucas.get_by_text("Hi Lucas, got a minute?").wait_for()
        _wait_for_sockets(live_server, 2)
        for page in (carmen, lucas):
            page.evaluate("window.__notReloaded = true")

        # Lucas replies with Enter: it shows on his page at once and on Carmen's live.
        lucas.fill("#message-body", "Sure — see https://example.com/deck")
        lucas.press("#message-body", "Enter")
        lucas.locator(".message.mine", has_text="Sure").wait_for(timeout=5000)
        carmen.locator(".message.theirs", has_text="Sure").wait_for(timeout=5000)
        link = carmen.locator(".message.theirs a[href='https://example.com/deck']")
        assert link.get_attribute("rel") == "nofollow noopener ugc"

        # Carmen answers; Lucas's open page reads it, and Carmen sees the receipt.
        carmen.fill("#message-body", "Great, talk soon")
        carmen.click("#composer button[type=submit]")
        lucas.locator(".message.theirs", has_text="Great, talk soon").wait_for(timeout=5000)
        carmen.locator(".receipt", has_text="Seen").wait_for(timeout=5000)
        assert carmen.locator(".message.mine.read").count() >= 1

        # Each message appears exactly once on each page, and neither page reloaded.
        for page in (carmen, lucas):
            assert page.locator(".message", has_text="Great, talk soon").count() == 1
            assert page.locator(".message", has_text="Sure").count() == 1
            assert page.evaluate("window.__notReloaded") is True
            assert page.locator("#message-body").input_value() == ""
    finally:
        for context in contexts:
            context.close()


def _api(live_server, token: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(
        live_server["base"] + path, data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def test_scrolling_up_loads_older_messages_and_keeps_the_place(page, live_server):
    token = _flask(live_server["env"], "create-token", "kenji_watanabe").strip().splitlines()[-1]
    conversation = _api(live_server, token, "/api/v1/conversations/", {"user": "carmen_ruiz", "body": "Message 0"})
    for n in range(1, 45):
        _api(live_server, token, f"/api/v1/conversations/{conversation['id']}/messages/", {"body": f"Message {n}"})
    log_in(page, live_server, "carmen_ruiz")
    page.goto(live_server["base"] + conversation["url"])
    messages = page.locator(".message")
    page.get_by_text("Message 44").wait_for()
    assert messages.count() == 30
    page.locator("#message-scroller").evaluate("el => { el.scrollTop = 0; }")
    page.get_by_text("Message 0", exact=True).wait_for(timeout=5000)
    assert messages.count() == 45
    # The reader stays where they were: the older page went in above, not under their eyes.
    assert page.locator("#message-scroller").evaluate("el => el.scrollTop") > 0
    bodies = messages.locator(".bubble").all_inner_texts()
    assert bodies == [f"Message {n}" for n in range(45)]
