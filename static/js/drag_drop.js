// Drag messages onto a folder of the side tree to move them there. Dragging a ticked
// row takes all the ticked messages; dragging another row takes that one alone (a
// conversation's row: all its messages). The drop fills the toolbar's "Move to…" menu
// and presses its button: the same request, CSRF token included, as moving from the
// keyboard or without JavaScript.
"use strict";

(() => {
  let draggedFrom = null; // the list's form while rows are dragged

  function folderLink(event) {
    const link = draggedFrom && event.target.closest && event.target.closest("#folder-tree a[data-folder]");
    // The current folder is no target: moving there changes nothing.
    return link && link.getAttribute("aria-current") !== "page" ? link : null;
  }

  function clearTargets() {
    document.querySelectorAll("#folder-tree .drop-target").forEach((link) => {
      link.classList.remove("drop-target");
    });
  }

  document.addEventListener("dragstart", (event) => {
    const row = event.target.closest && event.target.closest("tr[data-uid]");
    const form = row && row.closest("form.message-list-form");
    const box = row && row.querySelector("input[name='uids']");
    if (!form || !box) {
      return;
    }
    if (!box.checked) {
      form.querySelectorAll("input[name='uids']:checked, [data-select-folder]:checked").forEach((other) => {
        other.checked = false;
      });
      box.checked = true;
      box.dispatchEvent(new Event("change", { bubbles: true }));
    }
    draggedFrom = form;
    event.dataTransfer.effectAllowed = "move";
    // A conversation's box stands for all its messages.
    const count = Array.from(form.querySelectorAll("input[name='uids']:checked")).reduce(
      (sum, ticked) => sum + Number(ticked.dataset.messageCount || 1),
      0,
    );
    event.dataTransfer.setData("text/plain", `${count}`);
    const badge = document.getElementById("drag-count");
    if (badge && count > 1) {
      // "3 messages" under the pointer rather than the picture of one row.
      badge.textContent = badge.dataset.many.replace("{n}", count);
      event.dataTransfer.setDragImage(badge, 0, 0);
    }
    document.body.classList.add("dragging-messages");
  });

  document.addEventListener("dragend", () => {
    draggedFrom = null;
    document.body.classList.remove("dragging-messages");
    clearTargets();
  });

  document.addEventListener("dragover", (event) => {
    const link = folderLink(event);
    if (!link) {
      return;
    }
    event.preventDefault(); // allows the drop
    event.dataTransfer.dropEffect = "move";
    clearTargets();
    link.classList.add("drop-target");
  });

  document.addEventListener("dragleave", (event) => {
    const link = folderLink(event);
    if (link && !link.contains(event.relatedTarget)) {
      link.classList.remove("drop-target");
    }
  });

  document.addEventListener("drop", (event) => {
    const link = folderLink(event);
    if (!link) {
      return;
    }
    event.preventDefault(); // not a navigation to the folder
    const form = draggedFrom;
    const select = form.querySelector("select[name='target']");
    const option = select && Array.from(select.options).find((o) => o.value === link.dataset.folder);
    const button = select && select.closest(".move").querySelector("button[formaction]");
    if (option && button) {
      select.value = option.value;
      button.click();
    }
  });
})();
