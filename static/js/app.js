// Small progressive enhancements; everything works without this file.
// No inline handlers anywhere (strict CSP): behaviour hangs off data- attributes here.
document.addEventListener("DOMContentLoaded", () => {
  if (!window.htmx) return;
  // Swap 422 answers normally: they carry the same fragment, re-rendered with errors next to the fields.
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "422", swap: true },
    { code: "[45]..", swap: false, error: true },
  ];
  // Back/forward after hx-push-url: restore with a full page, never a bare fragment.
  htmx.config.historyRestoreAsHxRequest = false;
  htmx.config.refreshOnHistoryMiss = true;
});

// Every htmx request shows the progress bar (html.htmx-busy) and marks its target busy, so
// there is always a visible sign that something is on its way. Busy = some element still
// carries htmx's own "htmx-request" class (robust to aborted and replaced requests).
(function () {
  "use strict";
  const root = document.documentElement;
  function recompute() {
    setTimeout(() => {
      const busy = document.querySelector(".htmx-request") !== null;
      root.classList.toggle("htmx-busy", busy);
      if (!busy) document.querySelectorAll("[data-busy-target]").forEach((el) => {
        el.removeAttribute("aria-busy");
        el.removeAttribute("data-busy-target");
      });
    }, 0);
  }
  document.addEventListener("htmx:beforeRequest", (event) => {
    root.classList.add("htmx-busy");
    const target = event.detail && event.detail.target;
    if (target && target !== document.body) {
      target.setAttribute("aria-busy", "true");
      target.setAttribute("data-busy-target", "");
    }
  });
  ["htmx:afterRequest", "htmx:sendAbort", "htmx:abort", "htmx:timeout", "htmx:sendError", "htmx:afterSettle"]
    .forEach((name) => document.addEventListener(name, recompute));
})();

// <select data-autosubmit>: submit its form when the choice changes.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field && field.matches && field.matches("[data-autosubmit]") && field.form) field.form.requestSubmit();
});

document.addEventListener("htmx:responseError", (event) => {
  // Show server error fragments (4xx/5xx) where the request was aimed instead of dropping them.
  const xhr = event.detail.xhr;
  const target = event.detail.target;
  if (!xhr || !xhr.responseText || !target) return;
  if (target.tagName === "TR") {
    // A table row can only hold cells: put the message in one spanning the row.
    const cell = document.createElement("td");
    cell.colSpan = target.cells.length || 1;
    cell.innerHTML = xhr.responseText;
    target.replaceChildren(cell);
  } else {
    target.innerHTML = xhr.responseText;
  }
});

// <select data-autosubmit> submits its form on change (no inline handlers: the CSP forbids them).
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field && field.matches && field.matches("[data-autosubmit]") && field.form) field.form.requestSubmit();
});
