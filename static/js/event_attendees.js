// The attendees field of the event form: a search box suggests addresses (the compose
// autocomplete, addressbook:autocomplete) and adds the chosen one to the field. Without
// this script the field is a plain list of addresses separated by commas.
(function () {
  "use strict";
  const box = document.querySelector(".attendee-search");
  const field = document.querySelector("textarea[data-attendees]");
  if (!box || !field) return;
  const input = box.querySelector("input");
  const list = box.querySelector("datalist");
  const add = box.querySelector("[data-add-attendee]");
  let shown = {};
  let request = 0;
  box.hidden = false;

  function suggest() {
    const query = input.value.trim();
    if (query.length < 2 || shown[query]) return;
    const mine = ++request;
    fetch(box.dataset.autocompleteUrl + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        if (mine !== request) return;
        list.replaceChildren();
        shown = {};
        (data.results || []).forEach(function (item) {
          const value = item.name ? '"' + item.name.replace(/"/g, "") + '" <' + item.address + ">" : item.address;
          const option = document.createElement("option");
          option.value = value;
          shown[value] = true;
          list.append(option);
        });
      })
      .catch(function () { list.replaceChildren(); });
  }

  function addTyped() {
    const value = input.value.trim();
    if (!value) return;
    const current = field.value.trim().replace(/,\s*$/, "");
    field.value = current ? current + ", " + value : value;
    input.value = "";
    list.replaceChildren();
    shown = {};
    input.focus();
  }

  input.addEventListener("input", function () {
    if (shown[input.value]) addTyped();  // a suggestion was picked
    else suggest();
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); addTyped(); }
  });
  add.addEventListener("click", addTyped);
})();
