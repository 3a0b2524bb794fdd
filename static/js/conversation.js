// Conversation page: keep the newest message in view, load older ones on scroll-up without
// jumping, send with Enter, read live arrivals (read receipts) and drop duplicate deliveries.
(function () {
  "use strict";
  const page = document.querySelector(".conversation[data-conversation-id]");
  const scroller = document.getElementById("message-scroller");
  if (!page || !scroller) return;
  const conversationId = page.dataset.conversationId;
  const list = document.getElementById("conversation-" + conversationId + "-messages");
  let readPending = false;
  let heightBeforeOlder = null;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function nearBottom() {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 120;
  }

  function toBottom() {
    scroller.scrollTop = scroller.scrollHeight;
  }

  function dedupe() {
    const seen = new Set();
    list.querySelectorAll(".message[data-message-id]").forEach((item) => {
      if (seen.has(item.dataset.messageId)) item.remove();
      else seen.add(item.dataset.messageId);
    });
  }

  function showReceipts() {
    const receipt = document.getElementById("receipt-" + conversationId);
    const lastRead = Number(receipt ? receipt.dataset.lastReadId : 0);
    list.querySelectorAll(".message.mine").forEach((item) => {
      if (Number(item.dataset.messageId) <= lastRead) item.classList.add("read");
    });
  }

  function markRead() {
    if (document.visibilityState !== "visible") {
      readPending = true;
      return;
    }
    readPending = false;
    fetch(page.dataset.readUrl, {
      method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" },
    });
  }

  function dropOwnToasts() {
    document.querySelectorAll('#live-toasts .toast[data-conversation-id="' + conversationId + '"]')
      .forEach((toast) => toast.remove());
  }

  let known = new Set(Array.from(list.querySelectorAll(".message")).map((item) => item.dataset.messageId));

  function settle(stickToBottom) {
    dedupe();
    showReceipts();
    dropOwnToasts();
    let theirsArrived = false;
    let mineArrived = false;
    list.querySelectorAll(".message").forEach((item) => {
      if (known.has(item.dataset.messageId)) return;
      known.add(item.dataset.messageId);
      if (item.classList.contains("theirs")) theirsArrived = true;
      else mineArrived = true;
    });
    if (stickToBottom || mineArrived) toBottom();
    if (theirsArrived) markRead();
  }

  document.body.addEventListener("htmx:wsBeforeMessage", () => {
    page.dataset.stick = nearBottom() ? "1" : "";
  });
  document.body.addEventListener("htmx:wsAfterMessage", () => settle(page.dataset.stick === "1"));

  document.body.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.target && event.detail.target.classList.contains("older")) {
      heightBeforeOlder = scroller.scrollHeight - scroller.scrollTop;
    }
  });
  // Right after the swap, in the same task (before the browser paints), not after settling:
  // the reader never sees a duplicate or the list jump, not even for one frame.
  document.body.addEventListener("htmx:afterSwap", (event) => {
    // A sent message may come back twice (the send's response and the live frame): one goes.
    dedupe();
    if (heightBeforeOlder !== null && !document.body.contains(event.detail.target)) {
      // Older messages went in above: keep the reader's place.
      scroller.scrollTop = scroller.scrollHeight - heightBeforeOlder;
      heightBeforeOlder = null;
      known = new Set(Array.from(list.querySelectorAll(".message")).map((item) => item.dataset.messageId));
      showReceipts();
    }
  });
  document.body.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.elt && event.detail.elt.id === "composer") {
      settle(true);
      const box = document.getElementById("message-body");
      if (box) box.focus();
    }
  });

  document.addEventListener("htmx:responseError", (event) => {
    const form = event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest("#composer") : null;
    if (!form) return;
    // Keep the text the writer typed; say why it was refused (too fast, or not allowed).
    event.stopImmediatePropagation();
    const slot = form.querySelector(".form-error");
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (slot) {
      slot.textContent = status === 429 ? "You are sending messages too fast; wait a moment and try again."
        : status === 403 ? "You can't send messages in this conversation." : "The message was not sent; try again.";
      slot.hidden = false;
    }
  }, true);

  document.addEventListener("keydown", (event) => {
    if (event.target && event.target.id === "message-body" && event.key === "Enter" && !event.shiftKey
        && !event.isComposing) {
      event.preventDefault();
      const form = event.target.form;
      if (form && event.target.value.trim()) form.requestSubmit();
    }
  });

  // A reconnected socket missed whatever was sent meanwhile: fetch it (duplicates are dropped).
  let opened = 0;
  document.body.addEventListener("htmx:wsOpen", () => {
    opened += 1;
    if (opened === 1 || !window.htmx) return;
    const ids = Array.from(list.querySelectorAll(".message[data-message-id]")).map((item) => Number(item.dataset.messageId));
    const newest = ids.length ? Math.max(...ids) : 0;
    if (!newest) return;
    htmx.ajax("GET", page.dataset.newerUrl + "?after=" + newest, { target: list, swap: "beforeend" })
      .then(() => settle(nearBottom()));
  });

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && readPending) markRead();
  });

  showReceipts();
  toBottom();
})();
