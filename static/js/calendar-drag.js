// Week and day grids, with a mouse or a pen: drag down empty half-hours to create an event
// over them (the form opens with the times filled in), and drag an event's bottom edge to
// change its end (saved at once, with the ETag check, like a move in calendar.js). The
// keyboard and touch way to both is the event form.
(function () {
  "use strict";

  var selecting = null; // {day, first, last}: slots dragged over
  var resizing = null; // {event, day, row, span, slot}
  var skipClick = false;

  function slotAt(x, y, day) {
    var found = document.elementFromPoint(x, y);
    var slot = found && found.closest ? found.closest(".tg-slot") : null;
    return slot && slot.parentNode === day ? slot : null;
  }

  function rowOf(element) {
    var match = /(?:^|\s)r(\d+)(?:\s|$)/.exec(element.className);
    return match ? Number(match[1]) : 0;
  }

  function halfHourAfter(start) {
    // "2026-03-24T23:30" -> "2026-03-25T00:00", as wall-clock times (no zone involved)
    var p = start.split(/[-T:]/).map(Number);
    return new Date(Date.UTC(p[0], p[1] - 1, p[2], p[3], p[4] + 30)).toISOString().slice(0, 16);
  }

  function grid(on) {
    var element = document.querySelector(".time-grid");
    if (element) element.classList.toggle("is-dragging-slots", on);
  }

  function highlight() {
    var low = Math.min(rowOf(selecting.first), rowOf(selecting.last));
    var high = Math.max(rowOf(selecting.first), rowOf(selecting.last));
    selecting.day.querySelectorAll(".tg-slot").forEach(function (slot) {
      var row = rowOf(slot);
      slot.classList.toggle("is-selected", row >= low && row <= high);
    });
  }

  function setSpan(event, span) {
    event.className = event.className.replace(/(^|\s)s\d+(?=\s|$)/, "$1s" + span);
  }

  function primary(event) {
    return event.button === 0 && event.pointerType !== "touch";
  }

  document.addEventListener("pointerdown", function (event) {
    if (!primary(event) || !event.target.closest) return;
    var handle = event.target.closest(".tg-resize");
    if (handle) {
      var item = handle.closest(".tg-event[data-resize-url]");
      var span = /(?:^|\s)s(\d+)(?:\s|$)/.exec(item.className);
      resizing = { event: item, day: item.parentNode, row: rowOf(item), span: Number(span[1]), slot: null };
      item.classList.add("is-resizing");
      grid(true);
      event.preventDefault();
      return;
    }
    var slot = event.target.closest(".tg-slot");
    if (slot) {
      selecting = { day: slot.parentNode, first: slot, last: slot };
      event.preventDefault(); // no text selection, no dragging of the slot's link
    }
  });

  document.addEventListener("pointermove", function (event) {
    if (selecting) {
      var slot = slotAt(event.clientX, event.clientY, selecting.day);
      if (slot && slot !== selecting.last) {
        selecting.last = slot;
        grid(true);
        highlight();
      }
    } else if (resizing) {
      var under = slotAt(event.clientX, event.clientY, resizing.day);
      if (under && rowOf(under) >= resizing.row) {
        resizing.slot = under;
        setSpan(resizing.event, rowOf(under) - resizing.row + 1);
      }
    }
  });

  function finishSelecting() {
    var current = selecting;
    selecting = null;
    grid(false);
    current.day.querySelectorAll(".tg-slot.is-selected").forEach(function (slot) {
      slot.classList.remove("is-selected");
    });
    if (current.first === current.last) return; // a click: the slot's link opens the form
    var ordered = rowOf(current.first) < rowOf(current.last)
      ? [current.first, current.last] : [current.last, current.first];
    var url = new URL(ordered[0].href);
    url.searchParams.set("start", ordered[0].dataset.start);
    url.searchParams.set("end", halfHourAfter(ordered[1].dataset.start));
    skipClick = true;
    window.location.assign(url.toString());
  }

  function finishResizing() {
    var current = resizing;
    resizing = null;
    grid(false);
    current.event.classList.remove("is-resizing");
    skipClick = true;
    window.setTimeout(function () { skipClick = false; }, 0);
    if (!current.slot || rowOf(current.slot) - current.row + 1 === current.span) {
      setSpan(current.event, current.span);
      return;
    }
    var page = window.calendarPage;
    var body = new FormData();
    body.append("end", halfHourAfter(current.slot.dataset.start));
    body.append("occurrence", current.event.dataset.occurrence || "");
    fetch(current.event.dataset.resizeUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": page.csrfToken() },
    }).then(function (response) {
      if (response.status === 204) {
        page.redraw();
        return;
      }
      setSpan(current.event, current.span);
      response.text().then(function (text) {
        var known = response.status === 409 || response.status === 422;
        page.showError(known ? text : page.message("resizeFailed"));
      });
    }, function () {
      setSpan(current.event, current.span);
      page.showError(page.message("resizeOffline"));
    });
  }

  document.addEventListener("pointerup", function () {
    if (selecting) finishSelecting();
    else if (resizing) finishResizing();
  });

  // Neither the slot's link nor (while resizing) the event may start a drag of their own;
  // this runs before calendar.js's move.
  window.addEventListener("dragstart", function (event) {
    if (selecting || resizing) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // The click that ends a drag is not a click on the slot or the event.
  document.addEventListener("click", function (event) {
    if (skipClick) {
      event.preventDefault();
      event.stopPropagation();
      skipClick = false;
    }
  }, true);
})();
