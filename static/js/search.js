// Keyboard navigation on /search: ↓/↑ move through results, Escape or "/" returns to the box.
document.addEventListener("keydown", (event) => {
  const box = document.getElementById("search-q");
  if (!box) return;
  const active = document.activeElement;
  const typing = active && ["INPUT", "TEXTAREA", "SELECT"].includes(active.tagName);
  if (event.key === "/" && !typing) {
    event.preventDefault();
    box.focus();
    return;
  }
  const links = [...document.querySelectorAll("#search-results .result-link")];
  const index = links.indexOf(active);
  if (event.key === "Escape" && index >= 0) {
    box.focus();
  } else if (event.key === "ArrowDown" && (active === box || index >= 0) && links.length) {
    event.preventDefault();
    links[Math.min(index + 1, links.length - 1)].focus();
  } else if (event.key === "ArrowUp" && index >= 0) {
    event.preventDefault();
    (index === 0 ? box : links[index - 1]).focus();
  }
});

// htmx snapshots the page's HTML before a history push; the typed query lives in a property, not
// the attribute, so copy it over first — Back then shows the query as it was typed. (Checkboxes
// keep their rendered state: the user's click that caused the push belongs to the next entry.)
document.addEventListener("htmx:beforeHistorySave", () => {
  const box = document.getElementById("search-q");
  if (box) box.setAttribute("value", box.value);
});
