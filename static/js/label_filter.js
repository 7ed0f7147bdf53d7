// The folder filtered by a label: an action on the rows answers with the whole folder's
// rows (and the side menu's new counts); ask for the filtered rows again right after.
"use strict";

(() => {
  const filter = document.querySelector("[data-filtered-url]");
  if (!filter) {
    return;
  }
  document.addEventListener("htmx:afterSwap", (event) => {
    const config = event.detail.requestConfig;
    if (event.detail.target.id === "message-list" && config && config.verb === "post") {
      htmx.ajax("GET", filter.dataset.filteredUrl, { target: "#message-list", swap: "innerHTML" });
    }
  });
})();
