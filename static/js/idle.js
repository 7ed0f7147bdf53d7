// Idle sign-out, driven by what the person does (accounts/web_sessions.py).
// The server holds the real limit; this keeps it in step with activity that stays in the
// page (typing a long message), warns two minutes before the end, and lets open drafts
// save themselves ("webmail:before-idle-logout") before the page goes to the sign-in.
(function () {
  "use strict";
  const body = document.body;
  const timeout = Number(body.dataset.idleTimeout || 0);
  const warning = Number(body.dataset.idleWarning || 120);
  const keepaliveUrl = body.dataset.keepaliveUrl;
  const dialog = document.getElementById("idle-warning");
  if (!timeout || !keepaliveUrl || !dialog) return;

  let deadline = Date.now() + timeout * 1000;
  let activeSinceSync = false;
  let lastSync = Date.now();

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function keepAlive() {
    activeSinceSync = false;
    lastSync = Date.now();
    return fetch(keepaliveUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
    }).then(function (response) {
      if (response.status !== 200) return signOut();
      return response.json().then(function (data) {
        deadline = Date.now() + data.seconds_left * 1000;
      });
    });
  }

  function signOut() {
    document.dispatchEvent(new CustomEvent("webmail:before-idle-logout"));
    const next = encodeURIComponent(window.location.pathname);
    window.location.assign(body.dataset.loginUrl + "?idle=1&next=" + next);
  }

  ["keydown", "pointerdown", "wheel", "touchstart"].forEach(function (name) {
    document.addEventListener(name, function () { activeSinceSync = true; }, { passive: true });
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    // A request the person caused (not a background one) already reset the server clock.
    const headers = (event.detail.requestConfig || {}).headers || {};
    if (headers["X-Background-Request"] !== "1") deadline = Date.now() + timeout * 1000;
  });

  dialog.querySelector("[data-stay]").addEventListener("click", function () {
    dialog.close();
    keepAlive();
  });

  window.setInterval(function () {
    const left = deadline - Date.now();
    if (activeSinceSync && Date.now() - lastSync > 60000) { keepAlive(); return; }
    if (left <= 0) { signOut(); return; }
    if (left <= warning * 1000 && !dialog.open) {
      if (activeSinceSync) { keepAlive(); return; }
      dialog.showModal();
    }
  }, 1000);
})();
