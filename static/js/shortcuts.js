// Keyboard shortcuts of the message list and the message page (? shows them all).
// Each key does what a button or link of the page does, so nothing here is needed to
// use the mail: without this file the same actions are a Tab away.
"use strict";

(() => {
  const help = document.getElementById("shortcuts-help");
  if (!help) {
    return;
  }
  const UID_PLACEHOLDER = "4294967295";
  // Checkboxes and buttons take no letters: shortcuts still work when one has the focus.
  const TEXT_INPUTS = "input:not([type='checkbox']):not([type='radio']):not([type='button']):not([type='submit'])";
  let returnFocus = null;
  let restoreIndex = null;

  function isTyping(target) {
    return (
      target instanceof Element &&
      (target.isContentEditable || target.closest(`${TEXT_INPUTS}, textarea, select, [contenteditable]`))
    );
  }

  function rows() {
    return Array.from(document.querySelectorAll("#message-list tr[data-uid]"));
  }

  function currentRow() {
    const focused = document.activeElement && document.activeElement.closest("tr[data-uid]");
    return focused || document.querySelector("#message-list tr[data-uid].current");
  }

  function highlight(row) {
    rows().forEach((other) => other.classList.toggle("current", other === row));
    const link = row.querySelector("a.subject-text");
    if (link) {
      link.focus();
    }
    row.scrollIntoView({ block: "nearest" });
  }

  function step(offset) {
    const all = rows();
    if (!all.length) {
      return;
    }
    const index = all.indexOf(currentRow());
    const next = index < 0 ? (offset > 0 ? 0 : all.length - 1) : index + offset;
    highlight(all[Math.max(0, Math.min(all.length - 1, next))]);
  }

  function buttonFor(form, url) {
    return Array.from(form.querySelectorAll("button[formaction]")).find(
      (button) => button.getAttribute("formaction") === url,
    );
  }

  // e, #, !, s: on the message page, this message; in the list, the ticked messages,
  // or else the highlighted one.
  function act(url) {
    if (!url) {
      return;
    }
    const pageForm = document.querySelector("form.message-actions");
    const listForm = document.querySelector("form.message-list-form");
    const form = pageForm || listForm;
    const button = form && buttonFor(form, url);
    if (!button) {
      return; // e.g. "archive" inside the Archive folder
    }
    if (form === listForm && !form.querySelector("input[name='uids']:checked")) {
      const row = currentRow();
      if (!row) {
        return;
      }
      row.querySelector("input[name='uids']").checked = true;
    }
    if (form === listForm) {
      restoreIndex = Math.max(0, rows().indexOf(currentRow()));
    }
    button.click();
  }

  function toggleFlag() {
    const { flagUrl, unflagUrl } = help.dataset;
    const pageForm = document.querySelector("form.message-actions");
    if (pageForm) {
      act(buttonFor(pageForm, flagUrl) ? flagUrl : unflagUrl); // the button shown says which
      return;
    }
    const ticked = document.querySelector("#message-list input[name='uids']:checked");
    const row = ticked ? ticked.closest("tr") : currentRow();
    if (row) {
      act(row.classList.contains("flagged") ? unflagUrl : flagUrl);
    }
  }

  function messageUid() {
    if (help.dataset.messageUid) {
      return help.dataset.messageUid;
    }
    const row = currentRow();
    return row ? row.dataset.uid : null;
  }

  function go(urlTemplate) {
    const uid = messageUid();
    if (urlTemplate && uid) {
      window.location.assign(urlTemplate.replace(`/${UID_PLACEHOLDER}/`, `/${uid}/`));
    }
  }

  function open() {
    const row = currentRow();
    const link = row && row.querySelector("a.subject-text");
    if (link) {
      window.location.assign(link.href);
    }
  }

  function showHelp() {
    returnFocus = document.activeElement;
    help.showModal();
    help.querySelector("[data-close-shortcuts]").focus();
  }

  // On the message page, j and k open the next and previous messages of the list it was
  // opened from (the page's own links); in the list they move the highlight.
  function follow(selector) {
    const link = document.querySelector(selector);
    if (link) {
      window.location.assign(link.href);
    }
  }

  const keys = {
    j: () => (help.dataset.messageUid ? follow("[data-next-message]") : step(1)),
    k: () => (help.dataset.messageUid ? follow("[data-previous-message]") : step(-1)),
    o: open,
    x: () => {
      const box = currentRow() && currentRow().querySelector("input[name='uids']");
      if (box) {
        box.click(); // fires change, so the list's "select all" box follows
      }
    },
    s: toggleFlag,
    e: () => act(help.dataset.archiveUrl),
    "#": () => act(help.dataset.deleteUrl),
    "!": () => act(help.dataset.spamUrl),
    r: () => go(help.dataset.replyUrl),
    a: () => go(help.dataset.replyAllUrl),
    f: () => go(help.dataset.forwardUrl),
    c: () => help.dataset.composeUrl && window.location.assign(help.dataset.composeUrl),
    u: () => {
      const back = document.querySelector(".message .back a");
      if (back) {
        window.location.assign(back.href);
      }
    },
    "/": () => {
      const search = document.getElementById("mail-search");
      if (search) {
        search.focus();
        return true;
      }
      return false;
    },
    "?": showHelp,
  };

  document.addEventListener("keydown", (event) => {
    const altGraph = event.getModifierState && event.getModifierState("AltGraph");
    if (event.defaultPrevented || event.metaKey || ((event.ctrlKey || event.altKey) && !altGraph)) {
      return;
    }
    if (document.querySelector("dialog[open]") || isTyping(event.target)) {
      return; // the help or another dialog is open (Escape closes it), or the user types
    }
    let handler = keys[event.key];
    if (event.key === "Enter") {
      // Enter on a link or button already does its job; on the page itself it opens.
      const focused = document.activeElement;
      handler = !focused || focused === document.body || focused.matches("tr, main") ? open : null;
    }
    if (handler && handler() !== false) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-open-shortcuts]")) {
      showHelp();
    }
  });

  help.addEventListener("click", (event) => {
    if (event.target.closest("[data-close-shortcuts]")) {
      help.close();
    }
  });

  // Keep Tab inside the dialog: from the last control back to the first, and back.
  help.addEventListener("keydown", (event) => {
    if (event.key !== "Tab") {
      return;
    }
    const focusable = Array.from(help.querySelectorAll("button, a[href], [tabindex='0']"));
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      last.focus();
      event.preventDefault();
    } else if (!event.shiftKey && document.activeElement === last) {
      first.focus();
      event.preventDefault();
    }
  });

  help.addEventListener("close", () => {
    if (returnFocus && document.contains(returnFocus)) {
      returnFocus.focus();
    }
  });

  // A click in the message text gives the focus to its sandboxed frame, which runs no
  // script and shares no origin with the page, on purpose: its key presses never reach
  // this page, and taking the focus back would break selecting and copying its text.
  // Say so while it lasts; the page has the focus again after a click outside.
  const frameHint = document.getElementById("frame-focus-hint");
  if (frameHint) {
    window.addEventListener("blur", () => {
      // The focus moves on after the blur event: look once it has landed.
      window.setTimeout(() => {
        const focused = document.activeElement;
        frameHint.hidden = !(focused && focused.matches("iframe.message-body"));
      }, 0);
    });
    window.addEventListener("focus", () => {
      frameHint.hidden = true;
    });
  }

  // After an action the rows are new: highlight the row now at the same place.
  document.addEventListener("htmx:afterSettle", (event) => {
    if (restoreIndex === null || !event.target.closest || !event.target.closest("#message-list")) {
      return;
    }
    const all = rows();
    if (all.length) {
      highlight(all[Math.min(restoreIndex, all.length - 1)]);
    }
    restoreIndex = null;
  });
})();
