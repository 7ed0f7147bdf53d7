// Rule form: show only the inputs that the chosen field or action uses. Without
// JavaScript every input stays visible and the server ignores the unused ones.
(function () {
  "use strict";

  var ACTION_INPUTS = {
    move: "folder",
    label: "label",
    forward: "address",
    forward_copy: "address",
  };

  function update(row) {
    var field = row.querySelector("select[name$='-field']");
    if (field) {
      var header = row.querySelector(".field-header_name");
      if (header) header.hidden = field.value !== "header";
    }
    var kind = row.querySelector("select[name$='-kind']");
    if (kind) {
      ["folder", "label", "address"].forEach(function (name) {
        var box = row.querySelector(".field-" + name);
        if (box) box.hidden = ACTION_INPUTS[kind.value] !== name;
      });
    }
  }

  document.querySelectorAll(".filter-row").forEach(function (row) {
    update(row);
    row.addEventListener("change", function () {
      update(row);
    });
  });
})();
