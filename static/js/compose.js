// The compose page, on top of a plain form that works without JavaScript:
// rich-text editor (Quill) with a plain-text switch, recipient chips with suggestions,
// and drafts that save themselves while typing, when the page is left, and before an
// idle sign-out (the "webmail:before-idle-logout" event of idle.js).
(function () {
  "use strict";
  const form = document.getElementById("compose-form");
  if (!form) return;
  const saveUrl = form.dataset.saveUrl;
  const autosaveDelay = Number(form.dataset.autosaveSeconds || 3) * 1000;
  const status = form.querySelector("[data-autosave-status]");
  const modeField = form.elements.mode;
  const textArea = form.elements.body;
  const htmlField = form.elements.body_html;
  let quill = null;
  let toolbar = null;
  let dirty = false;
  let timer = null;
  let saving = null;

  // ---------- Editor ----------
  const editorBox = document.getElementById("compose-editor");
  const modeBar = form.querySelector(".compose-mode");

  function editorHtml() {
    // Quill 2.0.3's getSemanticHTML writes every space as &nbsp;, which would stop
    // lines from wrapping in the recipient's mail client.
    return quill.getLength() > 1 ? quill.getSemanticHTML().replace(/&nbsp;/g, " ") : "";
  }

  function setMode(mode) {
    if (mode === "html" && quill) {
      if (modeField.value === "text") {
        quill.setContents(quill.clipboard.convert({ text: textArea.value }), "silent");
      }
      editorBox.hidden = false;
      toolbar.hidden = false;
      textArea.hidden = true;
      form.querySelector(".compose-body-label").hidden = true;
      modeField.value = "html";
    } else {
      if (quill && modeField.value === "html") textArea.value = quill.getText();
      if (quill) {
        editorBox.hidden = true;
        toolbar.hidden = true;
      }
      textArea.hidden = false;
      form.querySelector(".compose-body-label").hidden = false;
      modeField.value = "text";
    }
    modeBar.querySelectorAll("[data-mode]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.mode === modeField.value));
    });
  }

  if (window.Quill && editorBox) {
    quill = new window.Quill(editorBox, {
      theme: "snow",
      modules: {
        toolbar: [
          ["bold", "italic", "underline", "strike"],
          [{ list: "ordered" }, { list: "bullet" }, "blockquote"],
          ["link", "clean"],
        ],
      },
    });
    toolbar = quill.getModule("toolbar").container;
    // The saved HTML is read by Quill's own parser (no innerHTML into the page).
    quill.setContents(quill.clipboard.convert({ html: htmlField.value || "" }), "silent");
    quill.root.setAttribute("aria-label", textArea.labels[0].textContent);
    quill.root.setAttribute("role", "textbox");
    quill.root.setAttribute("aria-multiline", "true");
    quill.on("text-change", function (_delta, _old, source) {
      htmlField.value = editorHtml();
      if (source === "user") changed();
    });
    modeBar.hidden = false;
    modeBar.addEventListener("click", function (event) {
      const button = event.target.closest("[data-mode]");
      if (!button || button.dataset.mode === modeField.value) return;
      if (button.dataset.mode === "text" && quill.getLength() > 1 &&
          !window.confirm(form.dataset.labelPlainConfirm)) return;
      setMode(button.dataset.mode);
      changed();
    });
    // A new message or a formatted draft opens in the editor; a plain draft stays plain.
    setMode(modeField.value === "text" && textArea.value.trim() && !htmlField.value.trim()
      ? "text" : "html");
    if (modeField.value === "html") htmlField.value = editorHtml();
  }

  function syncEditor() {
    if (quill && modeField.value === "html") htmlField.value = editorHtml();
  }

  // ---------- Signature of the chosen identity ----------
  const signatureData = document.getElementById("identity-signatures");
  const signatures = signatureData ? JSON.parse(signatureData.textContent) : {};
  const identitySelect = form.elements.identity;
  let currentIdentity = identitySelect ? identitySelect.value : "";

  function signatureBlock(id) {
    const text = (signatures[id] || "").trim();
    return text ? "-- \n" + text : "";
  }

  function swapSignature() {
    const before = signatureBlock(currentIdentity);
    const after = signatureBlock(identitySelect.value);
    currentIdentity = identitySelect.value;
    if (before === after) return;
    if (quill && modeField.value === "html") {
      const text = quill.getText();
      const at = before ? text.indexOf(before) : -1;
      if (at >= 0) {
        quill.deleteText(at, before.length, "user");
        quill.insertText(at, after, "user");
      } else if (after) {
        quill.insertText(quill.getLength() - 1, "\n" + after, "user");
      }
    } else if (before && textArea.value.indexOf(before) >= 0) {
      textArea.value = textArea.value.replace(before, after);
    } else if (after) {
      textArea.value = textArea.value.replace(/\s*$/, "") + "\n\n" + after;
    }
  }

  if (identitySelect) identitySelect.addEventListener("change", swapSignature);

  // ---------- Drafts ----------
  function formData() {
    syncEditor();
    chips.forEach(function (chip) { chip.commit(); });
    return new FormData(form);
  }

  function showStatus(text) {
    if (status) status.textContent = text;
  }

  function save() {
    if (saving) return saving;
    dirty = false;
    showStatus(form.dataset.labelSaving);
    // A person typing is activity: no X-Background-Request header here.
    saving = fetch(saveUrl, {
      method: "POST",
      body: formData(),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      return response.json().then(function (data) {
        if (data.saved) {
          showStatus(form.dataset.labelSaved + " " + data.saved_at);
        } else {
          const errors = Object.values(data.errors || {}).flat().join(" ");
          showStatus(form.dataset.labelNotSaved + " " + errors);
        }
      });
    }).catch(function () {
      dirty = true;
      showStatus(form.dataset.labelNotSaved);
    }).finally(function () {
      saving = null;
    });
    return saving;
  }

  function changed() {
    dirty = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, autosaveDelay);
  }

  function saveNow() {
    // The page is going away: the browser sends this even after it is gone.
    if (!dirty) return;
    dirty = false;
    window.clearTimeout(timer);
    navigator.sendBeacon(saveUrl, formData());
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") saveNow();
  });
  window.addEventListener("pagehide", saveNow);
  document.addEventListener("webmail:before-idle-logout", saveNow);

  form.addEventListener("submit", function (event) {
    const button = event.submitter;
    if (button && button.hasAttribute("data-save-now")) {
      event.preventDefault();
      window.clearTimeout(timer);
      save();
      return;
    }
    formData();
    dirty = false;
    window.clearTimeout(timer);
    if (button && button.hasAttribute("data-discard")) return;
    // Sending twice sends once on the server; this only spares the second request.
    if (button && button.hasAttribute("data-send")) {
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  });

  // ---------- Recipient chips ----------
  const autocompleteUrl = form.dataset.autocompleteUrl;
  let listCounter = 0;

  function splitAddresses(text) {
    const parts = [];
    let current = "";
    let quoted = false;
    let angle = false;
    for (const char of text) {
      if (char === '"') quoted = !quoted;
      if (char === "<" && !quoted) angle = true;
      if (char === ">" && !quoted) angle = false;
      if ((char === "," || char === ";" || char === "\n") && !quoted && !angle) {
        if (current.trim()) parts.push(current.trim());
        current = "";
      } else {
        current += char;
      }
    }
    if (current.trim()) parts.push(current.trim());
    return parts;
  }

  function looksValid(text) {
    return /^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/.test(text.replace(/^.*<(.*)>\s*$/, "$1").trim());
  }

  function Chips(field) {
    const wrapper = document.createElement("div");
    wrapper.className = "chips";
    const list = document.createElement("ul");
    list.className = "chip-list";
    const input = document.createElement("input");
    input.type = "text";
    input.className = "chip-input";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.id = field.id;
    field.id = field.id + "-value";
    field.type = "hidden";
    const describedBy = document.getElementById(input.id + "-error");
    if (describedBy) input.setAttribute("aria-describedby", describedBy.id);
    const options = document.createElement("ul");
    options.className = "chip-suggestions";
    options.id = "suggestions-" + (++listCounter);
    options.setAttribute("role", "listbox");
    options.hidden = true;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", options.id);
    wrapper.append(list, input, options);
    field.after(wrapper);
    let values = splitAddresses(field.value);
    let active = -1;
    let request = 0;

    function render() {
      list.replaceChildren();
      values.forEach(function (value, index) {
        const chip = document.createElement("li");
        chip.className = "chip" + (looksValid(value) ? "" : " chip-invalid");
        const label = document.createElement("span");
        // "Name" <address> shows the name; the whole value is in the tooltip.
        const named = value.match(/^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/);
        label.textContent = named && named[1] ? named[1] : value;
        chip.title = value;
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "chip-remove";
        remove.textContent = "×";
        remove.setAttribute("aria-label", form.dataset.labelRemove + " " + value);
        remove.addEventListener("click", function () {
          values.splice(index, 1);
          update();
          input.focus();
        });
        chip.append(label, remove);
        list.append(chip);
      });
    }

    function update() {
      field.value = values.join(", ");
      render();
      changed();
    }

    function commit() {
      const typed = splitAddresses(input.value);
      if (!typed.length) return;
      values = values.concat(typed);
      input.value = "";
      field.value = values.join(", ");
      render();
    }

    function closeOptions() {
      options.hidden = true;
      options.replaceChildren();
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(item) {
      const text = item.name ? '"' + item.name.replace(/"/g, "") + '" <' + item.address + ">" : item.address;
      values.push(text);
      input.value = "";
      closeOptions();
      update();
    }

    function highlight(index) {
      const items = options.querySelectorAll("[role=option]");
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) { item.setAttribute("aria-selected", String(i === active)); });
      input.setAttribute("aria-activedescendant", items[active].id);
    }

    function suggest() {
      const query = input.value.trim();
      if (!query || !autocompleteUrl) { closeOptions(); return; }
      const mine = ++request;
      fetch(autocompleteUrl + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          if (mine !== request) return;
          options.replaceChildren();
          (data.results || []).forEach(function (item, index) {
            const option = document.createElement("li");
            option.id = options.id + "-" + index;
            option.setAttribute("role", "option");
            option.setAttribute("aria-selected", "false");
            option.textContent = item.name ? item.name + " <" + item.address + ">" : item.address;
            option.addEventListener("mousedown", function (event) {
              event.preventDefault();
              choose(item);
            });
            options.append(option);
          });
          options.hidden = !data.results || !data.results.length;
          input.setAttribute("aria-expanded", String(!options.hidden));
          options.results = data.results || [];
        })
        .catch(closeOptions);
    }

    input.addEventListener("input", function (event) {
      event.stopPropagation();
      if (/[,;]/.test(input.value)) { commit(); changed(); closeOptions(); return; }
      suggest();
      changed();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && !options.hidden) { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp" && !options.hidden) { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Escape") { closeOptions(); }
      else if (event.key === "Enter") {
        event.preventDefault();
        if (active >= 0 && options.results) choose(options.results[active]);
        else { commit(); closeOptions(); changed(); }
      } else if (event.key === "Backspace" && !input.value && values.length) {
        input.value = values.pop();
        event.preventDefault();
        update();
      }
    });
    input.addEventListener("blur", function () { commit(); closeOptions(); });
    wrapper.addEventListener("click", function (event) {
      if (event.target === wrapper || event.target === list) input.focus();
    });
    render();
    return { commit: commit };
  }

  const chips = Array.from(form.querySelectorAll("input[data-recipients]")).map(Chips);
})();
