// The shared-files page: "Copy link" puts the link on the clipboard (the field stays
// selectable by hand where the clipboard is not available).
"use strict";

document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-link]");
  if (!button) {
    return;
  }
  const field = document.getElementById(button.dataset.copyLink);
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
    button.textContent = button.dataset.copied;
  } catch {
    field.focus();
  }
});
