// Live feed: the htmx ws extension swaps server fragments in; this file keeps the reader's
// place (new items wait behind an "N new" pill when scrolled down), counts unread items on
// other pages, and reconnects with ?after=<last event id>&notifications_after=<last notification id>
// so nothing is lost; whatever arrives twice (a relay's second copy) is dropped by element id.
(function () {
  "use strict";
  const live = document.getElementById("live");
  if (!live || !window.htmx) return;
  const userId = live.dataset.userId;
  let lastId = Number(new URL(live.getAttribute("ws-connect"), location.href).searchParams.get("after") || 0);
  let lastNotificationId = Number(live.dataset.notificationsAfter || 0);

  // The extension calls this on every (re)connect: resume after the newest event and notification
  // we have (the first connect too: whatever was created since the page was rendered is replayed).
  htmx.createWebSocket = function (url) {
    const target = new URL(url, location.href);
    if (lastId) target.searchParams.set("after", String(lastId));
    target.searchParams.set("notifications_after", String(lastNotificationId));
    return new WebSocket(target.toString());
  };

  // Keep the first element with each id in `box`: a duplicate swap changes nothing.
  function dropTwins(box) {
    if (!box) return;
    const seen = new Set();
    Array.from(box.children).forEach((item) => {
      if (!item.id) return;
      if (seen.has(item.id)) item.remove();
      else seen.add(item.id);
    });
  }

  const feedItems = () => document.getElementById("feed-items");
  const pending = () => document.getElementById("feed-pending");
  const pill = () => document.getElementById("feed-new-pill");

  function readerAtTop() {
    const list = feedItems();
    return !list || list.getBoundingClientRect().top >= 0;
  }

  function showPending() {
    const list = feedItems();
    const box = pending();
    if (!list || !box) return;
    // Oldest first, each put on top, so the newest ends up first.
    Array.from(box.children).reverse().forEach((item) => list.prepend(item));
    const button = pill();
    if (button) button.hidden = true;
  }

  function settlePending() {
    const box = pending();
    if (!box) return;
    dropTwins(box);
    Array.from(box.children).forEach((item) => {
      const twin = document.querySelector("#feed-items #" + CSS.escape(item.id));
      if (twin) item.remove();  // replayed after a reconnect: already on the page
    });
    const waiting = box.children.length;
    if (!waiting) return;
    const items = waiting === 1 ? "1 new item" : waiting + " new items";
    if (readerAtTop()) {
      showPending();
      announce(items + " at the top of the feed");
    } else {
      const button = pill();
      button.textContent = waiting + " new";
      button.hidden = false;
      announce(items + " above; press n to show them");
    }
  }

  function announce(text) {
    const status = document.getElementById("feed-status");
    if (status) status.textContent = text;
  }

  function bumpUnread() {
    const badge = document.getElementById("feed-unread");
    if (!badge || feedItems()) return;
    const current = parseInt(badge.textContent, 10) || 0;
    badge.textContent = current >= 99 ? "99+" : String(current + 1);
    badge.hidden = false;
  }

  document.body.addEventListener("htmx:wsBeforeMessage", (event) => {
    const message = event.detail.message || "";
    const notification = /id="notification-(\d+)"/.exec(message);
    if (notification) lastNotificationId = Math.max(lastNotificationId, Number(notification[1]));
    const match = /data-event-id="(\d+)"[^>]*data-actor-id="(\d*)"/.exec(message);
    if (!match) return;
    lastId = Math.max(lastId, Number(match[1]));
    if (match[2] !== userId) bumpUnread();
  });

  document.body.addEventListener("htmx:wsAfterMessage", () => {
    live.dataset.ready = "true";  // the first message (the badge) says the socket is subscribed
    settlePending();
    dropTwins(document.getElementById("notification-items"));
    document.querySelectorAll("#live-toasts .toast:not([data-timed])").forEach((toast) => {
      toast.dataset.timed = "1";
      setTimeout(() => toast.remove(), 6000);
    });
  });

  function revealNew() {
    showPending();
    const feed = document.getElementById("feed");
    feed.scrollIntoView({ behavior: "smooth" });
    const first = feedItems() && feedItems().querySelector("a[href]");
    if (first) first.focus({ preventScroll: true });  // keyboard users land on the newest item
  }

  document.addEventListener("click", (event) => {
    if (event.target && event.target.id === "feed-new-pill") revealNew();
  });

  // "n" shows the new items from anywhere in the list (the pill may be far behind the focus).
  document.addEventListener("keydown", (event) => {
    if (event.key !== "n" || event.ctrlKey || event.metaKey || event.altKey) return;
    const active = document.activeElement;
    if (active && (["INPUT", "TEXTAREA", "SELECT"].includes(active.tagName) || active.isContentEditable)) return;
    const button = pill();
    if (button && !button.hidden) {
      event.preventDefault();
      revealNew();
    }
  });

  window.addEventListener("scroll", () => {
    const box = pending();
    if (box && box.children.length && readerAtTop()) showPending();
  }, { passive: true });
})();
