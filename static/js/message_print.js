// The print view: a Print button, and the print dialog at once when opened from the
// message page's "Print" link (?autoprint=1 sets data-autoprint on <body>).
"use strict";

(() => {
  const button = document.querySelector("[data-print]");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
  if (document.body.hasAttribute("data-autoprint")) {
    // After the images have loaded, so that they are on paper too.
    window.addEventListener("load", () => window.print(), { once: true });
  }
})();
