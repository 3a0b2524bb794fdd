"""A person at a browser who acts with the mouse, or with the keyboard only.

Journeys are written once against `Person`; run with `keyboard=True` every control is reached
by pressing Tab from where the focus is (never clicked, never focused by script), must show a
visible focus ring when it gets there, and is used with Enter, Space or typed text.
"""

from dataclasses import dataclass

FOCUS_VISIBLE = """el => {
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return outline || (style.boxShadow && style.boxShadow !== "none");
}"""
HAS_FOCUS = "el => el === document.activeElement"
IS_BEHIND_FOCUS = "el => !!(document.activeElement.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING)"


@dataclass
class Person:
    page: object
    keyboard: bool = False
    max_tabs: int = 250

    def goto(self, path: str) -> None:
        """Open a URL (typing an address is keyboard use too)."""
        self.page.goto(path)

    def focus(self, target) -> None:
        """Tab until `target` has the focus (Shift+Tab when it lies behind the focus, as a person
        would); fail if it is not in the tab order or shows no focus indicator."""
        target.wait_for()
        handle = target.element_handle()
        key = None
        for _ in range(self.max_tabs):
            if handle.evaluate(HAS_FOCUS):
                break
            if key is None:
                self.page.keyboard.press("Tab")
                key = "Shift+Tab" if handle.evaluate(IS_BEHIND_FOCUS) else "Tab"
                continue
            self.page.keyboard.press(key)
        else:
            where = self.page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
            raise AssertionError(f"not reachable with Tab: {target} (focus ends on {where})")
        assert handle.evaluate(FOCUS_VISIBLE), f"no visible focus indicator on {target}"

    def activate(self, target) -> None:
        """Follow a link or press a button."""
        if self.keyboard:
            self.focus(target)
            self.page.keyboard.press("Enter")
        else:
            target.click()

    def type_into(self, target, text: str, delay: float = 0) -> None:
        """Put text in a field (replacing what is there)."""
        if self.keyboard:
            self.focus(target)
            self.page.keyboard.press("ControlOrMeta+a")
            self.page.keyboard.type(text, delay=delay)
        else:
            target.click()
            target.fill("")
            target.press_sequentially(text, delay=delay)

    def toggle(self, target) -> None:
        """Tick or untick a checkbox or a radio button."""
        if self.keyboard:
            self.focus(target)
            self.page.keyboard.press("Space")
        else:
            target.click()

    def choose(self, target, label: str) -> None:
        """Pick an option of a <select> (with the keyboard: focus it, then arrow keys pick options)."""
        if self.keyboard:
            self.focus(target)
        target.select_option(label=label)


def sign_up(person: Person, username: str, role: str, password: str = "e2e-password-123") -> None:
    """Create an account through /signup (the role preselected by the link, as from the home page)."""
    page = person.page
    person.goto(f"/signup?role={role}")
    person.type_into(page.locator("#field-username"), username)
    person.type_into(page.locator("#field-email"), f"{username}@example.test")
    person.type_into(page.locator("#field-password"), password)
    person.activate(page.get_by_role("button", name="Create account"))
    page.wait_for_url("**/settings/profile")


def wait_until_live(page) -> None:
    """Wait until the page's socket is subscribed (its first message, the badge, has arrived)."""
    page.locator("#live[data-ready]").wait_for(state="attached", timeout=15_000)


def not_reloaded(page) -> None:
    """Mark the page; `still_same_page` proves later that nothing reloaded it."""
    page.evaluate("window.__e2eMark = true")


def still_same_page(page) -> bool:
    return page.evaluate("window.__e2eMark === true")
