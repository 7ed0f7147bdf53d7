// The message list: "select all on this page", "all in folder" ticks every row, and
// Shift+click ticks a range. The form works without this file; it only adds comfort.
// Delegated on document, so rows that htmx swaps in keep working.
"use strict";

(() => {
  let lastClicked = null;

  function rowBoxes(form) {
    return Array.from(form.querySelectorAll("input[name='uids']"));
  }

  function refresh(form) {
    const boxes = rowBoxes(form);
    const checked = boxes.filter((box) => box.checked).length;
    const page = form.querySelector("[data-select-page]");
    if (page) {
      page.checked = boxes.length > 0 && checked === boxes.length;
      page.indeterminate = checked > 0 && checked < boxes.length;
    }
    boxes.forEach((box) => box.closest("tr").classList.toggle("selected", box.checked));
  }

  document.addEventListener("click", (event) => {
    const box = event.target.closest("input[name='uids']");
    if (!box) {
      return;
    }
    const form = box.form;
    if (event.shiftKey && lastClicked && lastClicked.form === form) {
      const boxes = rowBoxes(form);
      const [from, to] = [boxes.indexOf(lastClicked), boxes.indexOf(box)].sort((a, b) => a - b);
      boxes.slice(from, to + 1).forEach((other) => {
        other.checked = box.checked;
      });
    }
    lastClicked = box;
  });

  document.addEventListener("change", (event) => {
    const target = event.target;
    const form = target.form;
    if (!form || !form.classList.contains("message-list-form")) {
      return;
    }
    const folder = form.querySelector("[data-select-folder]");
    if (target.matches("[data-select-page]") || target.matches("[data-select-folder]")) {
      rowBoxes(form).forEach((box) => {
        box.checked = target.checked;
      });
      if (target.matches("[data-select-page]") && !target.checked && folder) {
        folder.checked = false;
      }
    } else if (target.matches("input[name='uids']") && !target.checked && folder) {
      // Unticking one message means "not all of them" any more.
      folder.checked = false;
    }
    refresh(form);
  });
})();
