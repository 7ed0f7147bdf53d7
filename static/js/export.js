// Export from the message list: the browser downloads the file (a plain form post);
// meanwhile this script polls how far the server got and shows it. A streamed download
// has no known length, so the browser's own download bar cannot tell.
"use strict";

(() => {
  const POLL_MS = 700;
  const MAX_MISSES = 40; // the export has not started after ~30 s: give up showing it
  const MAX_STILL_MS = 120000; // no progress for 2 minutes (download cancelled?): stop asking

  function newToken() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function fill(template, state) {
    return template.replace("{done}", state.done).replace("{total}", state.total);
  }

  function show(box, state) {
    const status = box.querySelector("[data-export-status]");
    const bar = status.querySelector("progress");
    status.hidden = false;
    bar.max = Math.max(state.total, 1);
    bar.value = state.done;
    let text = box.dataset.running;
    if (state.failed) {
      text = box.dataset.failed;
    } else if (state.finished) {
      text = box.dataset.finished;
    }
    status.querySelector("[data-export-text]").textContent = fill(text, state);
  }

  function poll(box, token, misses, last) {
    const url = box.dataset.progressUrl.replace("TOKEN", token);
    fetch(url, { headers: { "X-Background-Request": "1" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : null))
      .catch(() => null)
      .then((state) => {
        if (state) {
          show(box, state);
        }
        if (state && state.finished) {
          return;
        }
        const missed = state ? 0 : misses + 1;
        const now = Date.now();
        const moved = state && state.done !== last.done ? { done: state.done, at: now } : last;
        if (missed < MAX_MISSES && now - moved.at < MAX_STILL_MS) {
          window.setTimeout(() => poll(box, token, missed, moved), POLL_MS);
        }
      });
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-export]");
    if (!button) {
      return;
    }
    const box = button.closest(".export");
    const token = newToken();
    // Set before the form is submitted (the click comes first), so it is posted along.
    box.querySelector("input[name='export_token']").value = token;
    show(box, { done: 0, total: 0, finished: false, failed: false });
    box.querySelector("[data-export-text]").textContent = "…";
    window.setTimeout(() => poll(box, token, 0, { done: -1, at: Date.now() }), POLL_MS);
  });
})();
