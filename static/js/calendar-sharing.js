// The Share dialog: suggest active colleagues (the directory) while a name is typed.
// Without this script the address is typed in full; the server checks it either way.
(function () {
  "use strict";
  var form = document.querySelector(".share-form[data-suggestions-url]");
  if (!form) return;
  var input = form.querySelector("input[name=colleague]");
  var list = document.getElementById("colleague-suggestions");
  var timer = null;
  var last = "";

  function fill(results) {
    list.replaceChildren();
    results.forEach(function (person) {
      var option = document.createElement("option");
      option.value = person.address;
      option.label = person.name ? person.name + " <" + person.address + ">" : person.address;
      option.textContent = option.label;
      list.appendChild(option);
    });
  }

  input.addEventListener("input", function () {
    var query = input.value.trim();
    window.clearTimeout(timer);
    if (query.length < 2 || query === last || query.indexOf("@") !== -1) return;
    timer = window.setTimeout(function () {
      last = query;
      fetch(form.dataset.suggestionsUrl + "?q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (input.value.trim() === query) fill(data.results || []); })
        .catch(function () { /* suggestions are a help; typing the address still works */ });
    }, 200);
  });
})();
