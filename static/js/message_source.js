// The original message page: copy the whole source to the clipboard.
"use strict";

(() => {
  const button = document.querySelector("[data-copy-target]");
  const status = document.querySelector("[data-copy-status]");
  if (!button || !status) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", async () => {
    const source = document.getElementById(button.dataset.copyTarget);
    try {
      await navigator.clipboard.writeText(source.textContent);
      status.textContent = button.dataset.copied;
    } catch (error) {
      status.textContent = button.dataset.failed;
      window.getSelection().selectAllChildren(source);
    }
  });
})();
