// The attachments panel of the compose page (templates/mailbox/partials/attachments_panel.html):
// choose or drop several files, upload each with a progress bar, follow its virus scan,
// remove it. A file over the per-message limit can go as a download link instead: it is
// sent in chunks, and after a lost connection the upload resumes where the server is.
"use strict";

(() => {
  const panel = document.querySelector(".attachments[data-draft-key]");
  if (!panel) {
    return;
  }
  const list = panel.querySelector("[data-attachment-list]");
  const template = panel.querySelector("[data-attachment-template]");
  const input = panel.querySelector("#attachments-input");
  const dropZone = panel.querySelector("[data-drop-zone]");
  const errorBox = panel.querySelector("[data-attachments-error]");
  const limitBytes = Number(panel.dataset.limitBytes);
  const largeLimitBytes = Number(panel.dataset.largeLimitBytes);
  const PLACEHOLDER = "00000000-0000-0000-0000-000000000000";
  const POLL_MS = 2000;
  let pollTimer = null;

  const text = (key) => panel.querySelector(`[data-text-${key}]`).textContent;
  const urlFor = (name, id) => panel.dataset[name].replace(PLACEHOLDER, id);

  function csrfToken() {
    const field = panel.querySelector("[data-csrf]");
    if (field && field.value) {
      return field.value;
    }
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  function formatSize(bytes) {
    const units = ["B", "KB", "MB", "GB"];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit += 1;
    }
    return unit === 0 ? `${value} ${units[0]}` : `${value.toFixed(1)} ${units[unit]}`;
  }

  function newItem(file) {
    const item = template.content.firstElementChild.cloneNode(true);
    item.querySelector("[data-name]").textContent = file.name;
    item.querySelector("[data-remove-name]").textContent = file.name;
    item.querySelector("[data-size]").textContent = formatSize(file.size);
    item.dataset.status = "uploading";
    item.fileObject = file;
    list.append(item);
    return item;
  }

  function setState(item, status, message) {
    item.dataset.status = status;
    const labels = {
      pending: text("scanning"),
      clean: text("clean"),
      infected: text("infected"),
      error: text("error"),
      uploading: text("uploading"),
      failed: text("failed"),
      "too-large": text("too-large"),
      resuming: text("resuming"),
    };
    let label = message || labels[status] || status;
    if (item.dataset.large === "true" && !["infected", "failed"].includes(status)) {
      label = `${text("link")} · ${label}`;
    }
    item.querySelector("[data-state]").textContent = label;
    item.querySelector("[data-rescan]").hidden = status !== "error";
    item.querySelector("[data-send-as-link]").hidden = status !== "too-large";
  }

  function setProgress(item, done, total) {
    item.querySelector("[data-progress]").value = total ? Math.floor((done * 100) / total) : 0;
  }

  function attachedBytes() {
    return Array.from(list.querySelectorAll("[data-attachment]"))
      .filter((item) => item.dataset.large !== "true")
      .filter((item) => !["too-large", "failed", "infected"].includes(item.dataset.status))
      .reduce((sum, item) => sum + Number(item.dataset.bytes || 0), 0);
  }

  function request(method, url, body, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
      xhr.responseType = "json";
      if (onProgress) {
        xhr.upload.addEventListener("progress", (event) => onProgress(event.loaded));
      }
      xhr.addEventListener("load", () => resolve({ status: xhr.status, data: xhr.response || {} }));
      xhr.addEventListener("error", () => reject(new Error("network")));
      xhr.addEventListener("abort", () => reject(new Error("abort")));
      xhr.send(body);
    });
  }

  function accepted(item, data) {
    item.dataset.id = data.id;
    setProgress(item, 1, 1);
    setState(item, data.scan_status);
    schedulePoll();
  }

  async function uploadAttachment(item) {
    const file = item.fileObject;
    const body = new FormData();
    body.append("file", file);
    setState(item, "uploading");
    try {
      const answer = await request("POST", panel.dataset.uploadUrl, body, (loaded) =>
        setProgress(item, loaded, file.size),
      );
      if (answer.status === 201) {
        accepted(item, answer.data);
      } else if (answer.status === 422) {
        setState(item, "too-large", answer.data.error);
        item.querySelector("[data-send-as-link]").hidden = false;
      } else {
        setState(item, "failed");
      }
    } catch {
      setState(item, "failed");
    }
  }

  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  async function uploadLargeFile(item) {
    const file = item.fileObject;
    item.dataset.large = "true";
    const form = new FormData();
    form.append("filename", file.name);
    form.append("size", String(file.size));
    form.append("content_type", file.type || "");
    form.append("link_days", panel.querySelector("[data-link-days]").value);
    form.append("password", panel.querySelector("[data-link-password]").value);
    setState(item, "uploading");
    let started;
    try {
      started = await request("POST", panel.dataset.largeStartUrl, form);
    } catch {
      setState(item, "failed");
      return;
    }
    if (started.status !== 201) {
      setState(item, "failed", started.data.error);
      return;
    }
    item.dataset.id = started.data.id;
    await sendChunks(item, file, started.data.chunk_size);
  }

  async function sendChunks(item, file, chunkSize) {
    const id = item.dataset.id;
    let offset = 0;
    let failures = 0;
    while (offset < file.size && item.isConnected) {
      const chunk = file.slice(offset, offset + chunkSize);
      const base = offset;
      try {
        const answer = await request(
          "POST",
          `${urlFor("chunkUrl", id)}?offset=${offset}`,
          chunk,
          (loaded) => setProgress(item, base + loaded, file.size),
        );
        if (answer.status >= 500 || answer.data.offset === undefined) {
          throw new Error("server");
        }
        offset = answer.data.offset;
        failures = 0;
        setState(item, "uploading");
      } catch {
        failures += 1;
        if (failures > 8 || !item.isConnected) {
          setState(item, "failed");
          return;
        }
        setState(item, "resuming");
        await wait(Math.min(1000 * 2 ** failures, 30000));
        offset = await serverOffset(id, offset);
      }
      setProgress(item, offset, file.size);
    }
    if (offset >= file.size) {
      setState(item, "pending");
      schedulePoll();
    }
  }

  async function serverOffset(id, fallback) {
    try {
      const answer = await request("GET", urlFor("offsetUrl", id));
      return answer.status === 200 ? answer.data.offset : fallback;
    } catch {
      return fallback;
    }
  }

  function addFiles(files) {
    showError("");
    let budget = limitBytes - attachedBytes();
    Array.from(files).forEach((file) => {
      const item = newItem(file);
      item.dataset.bytes = String(file.size);
      if (file.size > largeLimitBytes) {
        setState(item, "failed", panel.querySelector("#attachments-help").textContent);
      } else if (file.size > budget) {
        setState(item, "too-large");
      } else {
        budget -= file.size;
        uploadAttachment(item);
      }
    });
  }

  async function poll() {
    pollTimer = null;
    let answer;
    try {
      const response = await fetch(panel.dataset.statusUrl, {
        headers: { "X-Background-Request": "1", Accept: "application/json" },
        credentials: "same-origin",
      });
      answer = await response.json();
    } catch {
      schedulePoll(POLL_MS * 3);
      return;
    }
    let waiting = false;
    answer.files.forEach((file) => {
      const item = list.querySelector(`[data-id="${file.id}"]`);
      if (!item || ["uploading", "resuming"].includes(item.dataset.status)) {
        waiting = waiting || Boolean(item);
        return;
      }
      item.dataset.large = String(file.large);
      if (file.received < file.size) {
        return;
      }
      setState(item, file.scan_status);
      waiting = waiting || ["pending", "error"].includes(file.scan_status);
    });
    if (waiting) {
      schedulePoll();
    }
  }

  function schedulePoll(delay = POLL_MS) {
    if (!pollTimer) {
      pollTimer = setTimeout(poll, delay);
    }
  }

  input.addEventListener("change", () => {
    addFiles(input.files);
    input.value = "";
  });

  ["dragenter", "dragover"].forEach((name) =>
    dropZone.addEventListener(name, (event) => {
      event.preventDefault();
      dropZone.classList.add("is-dragging");
    }),
  );
  ["dragleave", "drop"].forEach((name) =>
    dropZone.addEventListener(name, () => dropZone.classList.remove("is-dragging")),
  );
  dropZone.addEventListener("drop", (event) => {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) {
      addFiles(event.dataTransfer.files);
    }
  });

  list.addEventListener("click", async (event) => {
    const item = event.target.closest("[data-attachment]");
    if (!item) {
      return;
    }
    if (event.target.closest("[data-remove]")) {
      const id = item.dataset.id;
      item.remove();
      input.focus();
      if (id) {
        await request("POST", urlFor("deleteUrl", id)).catch(() => null);
      }
    } else if (event.target.closest("[data-send-as-link]")) {
      uploadLargeFile(item);
    } else if (event.target.closest("[data-rescan]")) {
      setState(item, "pending");
      await request("POST", urlFor("rescanUrl", item.dataset.id)).catch(() => null);
      schedulePoll();
    }
  });

  // A reopened draft: its files are listed by the server; follow the ones still scanning.
  list.querySelectorAll("[data-attachment]").forEach((item) => {
    setState(item, item.dataset.status);
  });
  if (list.querySelector("[data-status='pending'], [data-status='error']")) {
    schedulePoll();
  }
})();
