// Calendar page: ring the event reminders while the page is open. Every minute it asks
// the server which reminders ring soon (a background request: it never keeps an idle
// session alive), then shows each once, at its time, as a desktop notification when the
// person allowed them, else in the page. Mail delivers the same reminders anyway.
(function () {
  "use strict";

  var POLL_MS = 60000;
  var KEEP_MS = 24 * 3600 * 1000;
  var PREFIX = "webmail-reminder-";
  var box = document.getElementById("calendar-reminders");
  if (!box) return;
  var list = box.querySelector(".calendar-reminders-list");
  var enable = box.querySelector(".calendar-reminders-enable");
  var timers = {};
  var poller = null;

  function canNotify() {
    return "Notification" in window && window.Notification.permission === "granted";
  }

  function remember(id) {
    try {
      window.localStorage.setItem(PREFIX + id, String(Date.now()));
    } catch (e) {
      // private browsing: the reminder may show again in another tab, nothing worse
    }
  }

  function alreadyShown(id) {
    try {
      return window.localStorage.getItem(PREFIX + id) !== null;
    } catch (e) {
      return false;
    }
  }

  function forgetOld() {
    try {
      for (var i = window.localStorage.length - 1; i >= 0; i--) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf(PREFIX) === 0) {
          var at = Number(window.localStorage.getItem(key));
          if (!at || Date.now() - at > KEEP_MS) window.localStorage.removeItem(key);
        }
      }
    } catch (e) {
      // nothing stored, nothing to forget
    }
  }

  function showInPage(reminder) {
    var item = document.createElement("li");
    item.className = "alert alert-ok calendar-reminder";
    item.setAttribute("role", "alert");
    var title = document.createElement("strong");
    title.textContent = reminder.title;
    var text = document.createElement("span");
    text.textContent = " " + reminder.text + " ";
    var dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "button";
    dismiss.textContent = box.dataset.dismiss;
    dismiss.addEventListener("click", function () {
      item.remove();
    });
    item.appendChild(title);
    item.appendChild(text);
    item.appendChild(dismiss);
    list.appendChild(item);
  }

  function ring(reminder) {
    delete timers[reminder.id];
    if (alreadyShown(reminder.id)) return;
    remember(reminder.id);
    if (canNotify()) {
      new window.Notification(reminder.title, { body: reminder.text, tag: reminder.id });
    } else {
      showInPage(reminder);
    }
  }

  function schedule(reminders) {
    reminders.forEach(function (reminder) {
      if (timers[reminder.id] || alreadyShown(reminder.id)) return;
      var delay = Date.parse(reminder.at) - Date.now();
      timers[reminder.id] = window.setTimeout(function () {
        ring(reminder);
      }, Math.max(delay, 0));
    });
  }

  function poll() {
    fetch(box.dataset.url, {
      credentials: "same-origin",
      headers: { "X-Background-Request": "1", Accept: "application/json" },
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!response.ok || !json) {
        window.clearInterval(poller); // signed out: the login page answers
        return null;
      }
      return response.json();
    }).then(function (answer) {
      if (answer) schedule(answer.reminders);
    }, function () {
      // offline for a moment: the next poll tries again
    });
  }

  function offerNotifications() {
    enable.hidden = !("Notification" in window) || window.Notification.permission !== "default";
  }

  enable.addEventListener("click", function () {
    window.Notification.requestPermission().then(offerNotifications);
  });

  forgetOld();
  offerNotifications();
  poll();
  poller = window.setInterval(poll, POLL_MS);
})();
