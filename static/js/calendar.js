// Calendar page: scroll the week/day grid to the working day, and move an event by
// dragging it onto another half-hour slot (POST to its move URL, then redraw by htmx).
// Navigation, creating and editing all work without this file.
(function () {
  "use strict";

  var dragged = null;

  function scrollGrid(root) {
    var grid = root.querySelector(".tg-scroll[data-scroll-to]");
    if (!grid || grid.dataset.scrolled) return;
    var row = grid.querySelector(".tg-slot.r" + grid.dataset.scrollTo);
    if (row) grid.scrollTop = row.offsetTop; // the day column (position: relative) is its offsetParent
    grid.dataset.scrolled = "1";
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function message(name) {
    var main = document.getElementById("calendar-main");
    return main ? main.dataset[name] : "";
  }

  function showError(text) {
    var main = document.getElementById("calendar-main");
    if (!main) return;
    var note = document.createElement("p");
    note.className = "alert alert-error";
    note.setAttribute("role", "alert");
    note.textContent = text;
    main.insertBefore(note, main.firstChild);
  }

  function redraw() {
    if (window.htmx) {
      window.htmx.ajax("GET", window.location.href, {
        target: "#calendar-main",
        select: "#calendar-main",
        swap: "outerHTML",
      });
    } else {
      window.location.reload();
    }
  }

  function endDrag() {
    if (dragged) dragged.classList.remove("is-dragging");
    var grid = document.querySelector(".time-grid");
    if (grid) grid.classList.remove("is-dragging-event");
    dragged = null;
  }

  document.addEventListener("dragstart", function (event) {
    var item = event.target.closest ? event.target.closest(".tg-event[data-move-url]") : null;
    if (!item) return;
    dragged = item;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.dataset.moveUrl);
    window.setTimeout(function () {
      item.classList.add("is-dragging");
      var grid = item.closest(".time-grid");
      if (grid) grid.classList.add("is-dragging-event");
    }, 0);
  });

  document.addEventListener("dragend", endDrag);

  document.addEventListener("dragover", function (event) {
    if (dragged && event.target.closest && event.target.closest(".tg-slot")) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
    }
  });

  document.addEventListener("drop", function (event) {
    var slot = event.target.closest ? event.target.closest(".tg-slot") : null;
    if (!dragged || !slot) return;
    event.preventDefault();
    var body = new FormData();
    body.append("start", slot.dataset.start);
    body.append("occurrence", dragged.dataset.occurrence || "");
    var url = dragged.dataset.moveUrl;
    endDrag();
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    }).then(function (response) {
      if (response.status === 204) {
        redraw();
      } else {
        response.text().then(function (text) {
          showError(response.status === 409 ? text : message("moveFailed"));
        });
      }
    }, function () {
      showError(message("moveOffline"));
    });
  });

  // calendar-drag.js saves resized events the same way.
  window.calendarPage = { csrfToken: csrfToken, message: message, redraw: redraw, showError: showError };

  document.addEventListener("DOMContentLoaded", function () {
    scrollGrid(document);
  });
  document.addEventListener("htmx:afterSettle", function () {
    scrollGrid(document);
  });
})();
