"""Search as you type narrows results letter by letter, a facet filters without a reload, a typo
offers "did you mean", and Back restores the previous query."""

import re

from .actors import Person, not_reloaded, still_same_page

SETTLED = """q => new URL(location.href).searchParams.get('q') === q
  && !document.documentElement.classList.contains('htmx-busy')
  && document.querySelector('#search-results [role=status]') !== null"""


def result_count(page) -> int:
    return int(re.search(r"\d+", page.locator("#search-results [role=status]").inner_text()).group())


def settle(page, query: str) -> int:
    page.wait_for_function(SETTLED, arg=query)
    page.wait_for_timeout(100)  # the debounce window: no later request is on its way
    page.wait_for_function(SETTLED, arg=query)
    return result_count(page)


def test_search_as_you_type_facets_did_you_mean_and_back(page, keyboard):
    you = Person(page, keyboard)
    you.goto("/search")
    box = page.locator("#search-q")
    not_reloaded(page)
    if keyboard:
        you.focus(box)
    else:
        box.click()

    counts = []
    for letter, query in zip("dat", ("d", "da", "dat"), strict=True):
        page.keyboard.type(letter)
        counts.append(settle(page, query))
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1], counts

    startups = page.locator("#search-results input[name=type][value=startup]")
    you.toggle(startups)
    page.wait_for_function("() => new URL(location.href).searchParams.get('type') === 'startup'")
    filtered = settle(page, "dat")
    assert filtered < counts[-1]
    assert set(page.locator(".hits .badge").all_inner_texts()) == {"Startup"}
    assert page.locator("#search-results input[name=type][value=startup]").is_checked()
    assert still_same_page(page)

    page.go_back()
    page.wait_for_function("() => !new URL(location.href).searchParams.has('type')")
    assert box.input_value() == "dat"
    assert settle(page, "dat") == counts[-1]
    assert not page.locator("#search-results input[name=type][value=startup]").is_checked()

    you.type_into(box, "dtaa")
    settle(page, "dtaa")
    suggestion = page.locator(".did-you-mean a")
    assert suggestion.inner_text() == "data"
    you.activate(suggestion)
    page.wait_for_url(re.compile(r"q=data(&|$)"))
    assert box.input_value() == "data"
