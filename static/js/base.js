// Every page: the phone menu, the account menu, and focus after htmx swaps.
// Loaded in <head> without defer, so the "js" class is set before the first paint:
// CSS collapses the side menu only when this script runs; without it the menu stays
// stacked above the content and every link is still reachable.
"use strict";

document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle");
  const sidebar = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  const userMenu = document.querySelector(".user-menu");
  const wide = window.matchMedia("(min-width: 48em)");

  function menuIsOpen() {
    return toggle !== null && toggle.getAttribute("aria-expanded") === "true";
  }

  function setMenuOpen(open) {
    if (!sidebar) {
      return;
    }
    toggle.setAttribute("aria-expanded", String(open));
    document.body.classList.toggle("menu-open", open);
    if (open) {
      const current = sidebar.querySelector("[aria-current='page']") || sidebar.querySelector("a");
      if (current) {
        current.focus();
      }
    }
  }

  if (sidebar) {
    toggle.addEventListener("click", () => setMenuOpen(!menuIsOpen()));
    // Back on a wide screen the menu is always shown: drop the phone state.
    wide.addEventListener("change", () => setMenuOpen(false));
  }

  document.addEventListener("click", (event) => {
    if (menuIsOpen() && !sidebar.contains(event.target) && !toggle.contains(event.target)) {
      setMenuOpen(false);
    }
    if (userMenu && userMenu.open && !userMenu.contains(event.target)) {
      userMenu.open = false;
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") {
      return;
    }
    if (userMenu && userMenu.open) {
      userMenu.open = false;
      userMenu.querySelector("summary").focus();
    } else if (menuIsOpen()) {
      setMenuOpen(false);
      toggle.focus();
    }
  });

  // htmx replaced the element that had focus (a pagination link): give focus to the
  // updated region, so keyboard and screen reader users continue from there.
  document.body.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (document.activeElement === document.body || document.activeElement === null) {
      target.setAttribute("tabindex", "-1");
      target.focus();
    }
  });
});
