// Password strength meter (zxcvbn-ts, vendored): a hint while typing, never a rule.
// The server's validators decide; this only helps people pick a strong password.
(function () {
  "use strict";
  const core = window.zxcvbnts && window.zxcvbnts.core;
  if (!core) return;
  const common = window.zxcvbnts["language-common"] || {};
  const french = window.zxcvbnts["language-fr"] || {};
  core.zxcvbnOptions.setOptions({
    dictionary: Object.assign({}, common.dictionary, french.dictionary),
    graphs: common.adjacencyGraphs,
  });

  document.querySelectorAll("meter[data-strength-for]").forEach(function (meter) {
    const input = document.getElementById(meter.dataset.strengthFor);
    const label = document.getElementById("strength-" + meter.dataset.strengthFor);
    const texts = function (id) {
      const list = document.getElementById(id + "-" + meter.dataset.strengthFor);
      return list ? Array.from(list.children, function (li) { return li.textContent; }) : [];
    };
    const words = texts("strength-labels");
    const userInputs = texts("strength-inputs").filter(Boolean);
    if (!input) return;
    input.addEventListener("input", function () {
      const score = input.value ? core.zxcvbn(input.value, userInputs).score : 0;
      meter.value = score;
      if (label) label.textContent = input.value ? words[score] || "" : "";
    });
  });
})();
