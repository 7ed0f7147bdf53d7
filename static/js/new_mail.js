// New mail without reloading (mailbox/views/new_mail.py). Every data-interval seconds
// the page asks, in the background, whether its folder changed since the state it holds,
// and gets the folders' unread counts and the tab title. When the folder changed and the
// list is page 1 of newest-first arrival order, the first page is fetched again and only
// the rows the list does not have yet go on top: ticked boxes and focus stay.
// Paused while the tab is hidden; waits longer after each failure; stops for good once
// the session is over (401, 403 or a redirect to the sign-in page).
"use strict";

(() => {
  const poller = document.getElementById("new-mail");
  if (!poller) {
    return;
  }
  const interval = Math.max(1, Number(poller.dataset.interval) || 30) * 1000;
  const MAX_DELAY = 10 * 60 * 1000;
  const BACKGROUND = { "X-Background-Request": "1" };
  let state = poller.dataset.state;
  let delay = interval;
  let timer = null;
  let busy = false;
  let stopped = false;
  let lastCheck = Date.now();

  class SessionOver extends Error {}

  async function get(url, headers) {
    const response = await fetch(url, {
      headers: { ...BACKGROUND, ...headers },
      credentials: "same-origin",
      redirect: "manual",
      cache: "no-store",
    });
    if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
      throw new SessionOver();
    }
    if (!response.ok) {
      throw new Error(`HTTP ${response.status}`);
    }
    return response;
  }

  function updateCounts(folders) {
    const tree = document.getElementById("folder-tree");
    if (!tree) {
      return;
    }
    folders.forEach(({ name, unseen }) => {
      const link = tree.querySelector(`a[data-folder="${CSS.escape(name)}"]`);
      if (!link) {
        return;
      }
      let count = link.querySelector(".unread-count");
      if (!unseen) {
        if (count) {
          count.remove();
        }
        return;
      }
      if (!count) {
        // Same markup as the folder tree's: the number, then " unread" for screen readers.
        const template = tree.querySelector(".unread-count .visually-hidden");
        count = document.createElement("span");
        count.className = "unread-count";
        count.append("", template ? template.cloneNode(true) : "");
        link.append(count);
      }
      count.firstChild.textContent = String(unseen);
    });
  }

  function announce(added) {
    const status = document.getElementById("new-mail-status");
    if (status && added > 0) {
      status.textContent =
        added === 1 ? status.dataset.one : status.dataset.many.replace("%(count)s", String(added));
    }
  }

  // Returns false when nothing could be merged now (try again at the next change).
  async function refreshRows() {
    const list = document.getElementById("message-list");
    const table = list && list.querySelector("table.messages[data-new-mail-rows]");
    if (!table) {
      return true; // another page or order: the rows there do not move with new mail
    }
    const allInFolder = list.querySelector("[data-select-folder]");
    if (allInFolder && allInFolder.checked) {
      return false; // "all N messages" was ticked: don't change N under the person's feet
    }
    const response = await get(poller.dataset.rowsUrl, { "HX-Request": "true" });
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    const tbody = table.tBodies[0];
    const present = new Set(
      Array.from(tbody.querySelectorAll("tr[data-uid]"), (row) => row.dataset.uid),
    );
    const freshRows = Array.from(fresh.querySelectorAll("table.messages tbody tr[data-uid]"));
    if (present.size === 0) {
      // The folder was empty: no selection to keep, and the toolbar must appear.
      list.replaceChildren(...Array.from(fresh.body.childNodes, (node) => document.adoptNode(node)));
      finish(list, freshRows.length);
      return true;
    }
    const added = [];
    for (const row of freshRows) {
      if (present.has(row.dataset.uid)) {
        break; // arrival order: everything below is already shown
      }
      const copy = document.adoptNode(row);
      copy.classList.add("new-arrival");
      added.push(copy);
    }
    if (added.length === 0) {
      return true;
    }
    tbody.prepend(...added);
    trimTo(tbody, freshRows.length);
    replaceFrom(fresh, list, "table.messages caption .folder-count");
    replaceFrom(fresh, list, "nav.pagination");
    replaceFrom(fresh, list, "label:has(> [data-select-folder])"); // "All N messages"
    const selectPage = list.querySelector("[data-select-page]");
    if (selectPage && selectPage.checked) {
      selectPage.checked = false; // the new rows are not ticked
      selectPage.indeterminate = true;
    }
    if (window.htmx) {
      added.forEach((row) => window.htmx.process(row));
    }
    finish(list, added.length);
    return true;
  }

  // A page keeps its size: rows pushed past the end go, unless ticked or focused.
  function trimTo(tbody, size) {
    const rows = Array.from(tbody.querySelectorAll("tr[data-uid]"));
    for (let index = rows.length - 1; index >= size; index -= 1) {
      const row = rows[index];
      const box = row.querySelector("input[name='uids']");
      if ((box && box.checked) || row.contains(document.activeElement)) {
        break;
      }
      row.remove();
    }
  }

  function replaceFrom(fresh, list, selector) {
    const current = list.querySelector(selector);
    const replacement = fresh.querySelector(selector);
    if (current && replacement) {
      current.replaceWith(document.adoptNode(replacement));
    } else if (replacement && selector === "nav.pagination") {
      list.append(document.adoptNode(replacement));
    }
  }

  function finish(list, added) {
    if (window.htmx) {
      window.htmx.process(list);
    }
    announce(added);
    document.dispatchEvent(new CustomEvent("webmail:new-mail", { detail: { added } }));
  }

  async function check() {
    if (busy || stopped) {
      return;
    }
    busy = true;
    lastCheck = Date.now();
    try {
      const url = `${poller.dataset.changesUrl}?state=${encodeURIComponent(state)}`;
      const data = await (await get(url, { Accept: "application/json" })).json();
      updateCounts(data.folders);
      document.title = data.title;
      if (!data.changed || (await refreshRows())) {
        state = data.state;
      }
      delay = interval;
    } catch (error) {
      if (error instanceof SessionOver) {
        stopped = true;
        return;
      }
      delay = Math.min(delay * 2, MAX_DELAY); // the server or the network is struggling
    } finally {
      busy = false;
      schedule(delay);
    }
  }

  function schedule(wait) {
    window.clearTimeout(timer);
    timer = null;
    if (!stopped && !document.hidden) {
      timer = window.setTimeout(check, wait);
    }
  }

  document.addEventListener("visibilitychange", () => {
    if (document.hidden) {
      window.clearTimeout(timer);
      timer = null;
    } else {
      // Back on the tab: check at once if a check is due, else when it would have been.
      schedule(Math.max(0, delay - (Date.now() - lastCheck)));
    }
  });

  schedule(delay);
})();
