// Small progressive enhancements; everything works without this file.
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
