// The playground page's code: generic, the same for every model. The page itself (forms,
// tracks, message types) is generated per model from its schema; this script reads it from the
// DOM: a form per command (data-command), a control per argument (name = wire name, data-kind
// = how its text becomes JSON), an <img> per output video track (data-track).
"use strict";
(() => {
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
  const MAX_LOG = 500;
  const MAX_TEXT = 4000;

  const logList = $("#log");
  const filter = $("#log-filter");
  const known = new Set(
    $$("option", filter).map((o) => o.value).filter((v) => v && !v.startsWith("("))
  );

  const json = (value, indent) => {
    const text = JSON.stringify(value, null, indent);
    return text === undefined ? "" : text;
  };
  const clip = (text) => (text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) + " …" : text);
  const clock = (t) => new Date(t * 1000).toLocaleTimeString(undefined, { hour12: false });

  // -- video: one MJPEG stream per output video track --------------------------------
  function startVideo(img) {
    img.src = "video/" + encodeURIComponent(img.dataset.track) + "?t=" + Date.now();
  }
  for (const img of $$("img.video[data-track]")) {
    img.addEventListener("error", () => setTimeout(() => startVideo(img), 1000));
    startVideo(img);
  }

  // -- status ------------------------------------------------------------------------
  const statusEl = $("#status");
  const connectButton = $("#connect");
  const connectionError = $("#connection-error");
  function setStatus(status, error) {
    statusEl.textContent = status;
    statusEl.dataset.status = status;
    connectButton.hidden = status !== "disconnected";
    if (error !== undefined) connectionError.textContent = error || "";
    if (status === "ready") connectionError.textContent = "";
  }
  connectButton.addEventListener("click", async () => {
    connectionError.textContent = "";
    try {
      await fetch("connect", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: "{}",
      });
    } catch (e) {
      connectionError.textContent = String(e);
    }
  });

  // -- message log and latest messages -----------------------------------------------
  function filterKey(ev) {
    if (ev.event !== "message") return "(client)";
    return known.has(ev.type) ? ev.type : "(other)";
  }
  function applyFilter(li) {
    const want = filter.value;
    li.hidden = want !== "" && li.dataset.filter !== want;
  }
  filter.addEventListener("change", () => $$("li", logList).forEach(applyFilter));
  // A model that reports periodically (input_report every 0.5 s) would flood the log: while
  // "collapse repeats" is on, each message type has one entry, updated (×N) and moved to the top.
  const collapse = $("#log-collapse");
  $("#log-clear").addEventListener("click", () => logList.replaceChildren());

  function describe(ev) {
    switch (ev.event) {
      case "message":
        return [ev.type, json(ev.data)];
      case "status":
        return ["status", ev.status];
      case "error":
        return ["error", (ev.code ? ev.code + ": " : "") + ev.message];
      case "command": {
        const head = "→ " + ev.command + " " + json(ev.args);
        if (!ev.ok) return ["command", head + "  ✗ " + ev.error];
        if (ev.reply) return ["command", head + "  ✓ reply " + ev.reply.type];
        return ["command", head + "  ✓ sent"];
      }
      default:
        return [ev.event, json(ev)];
    }
  }

  function addLog(ev) {
    const [label, text] = describe(ev);
    const same =
      collapse && collapse.checked && ev.event === "message"
        ? $$("li.message", logList).find((li) => li.dataset.type === ev.type)
        : undefined;
    if (same) {
      const repeats = Number(same.dataset.repeats || "1") + 1;
      same.dataset.repeats = String(repeats);
      $("time", same).textContent = clock(ev.time);
      $("code", same).textContent = clip(text);
      $(".repeats", same).textContent = "×" + repeats;
      logList.prepend(same);
      return;
    }
    const li = document.createElement("li");
    li.className = "entry " + ev.event + (ev.ok === false || ev.event === "error" ? " failed" : "");
    li.dataset.filter = filterKey(ev);
    if (ev.event === "message") li.dataset.type = ev.type;
    const time = document.createElement("time");
    time.textContent = clock(ev.time);
    const tag = document.createElement("span");
    tag.className = "tag";
    tag.textContent = label;
    const body = document.createElement("code");
    body.textContent = clip(text);
    const repeats = document.createElement("span");
    repeats.className = "repeats";
    li.append(time, " ", tag, " ", repeats, " ", body);
    applyFilter(li);
    logList.prepend(li);
    while (logList.children.length > MAX_LOG) logList.lastElementChild.remove();
  }

  function showLatest(ev, count) {
    const box = $$("#latest [data-type]").find((el) => el.dataset.type === ev.type);
    if (!box) return;
    const pre = $(".payload", box);
    pre.textContent = clip(json(ev.data, 2));
    pre.classList.remove("muted");
    const counter = $(".count", box);
    if (counter) counter.textContent = "×" + count + " · " + clock(ev.time);
    box.dataset.updated = String(ev.time);
  }

  const counts = new Map();
  function handle(ev) {
    if (ev.event === "message") {
      counts.set(ev.type, (counts.get(ev.type) || 0) + 1);
      showLatest(ev, counts.get(ev.type));
    } else if (ev.event === "status") {
      setStatus(ev.status);
    } else if (ev.event === "error" && ev.connection) {
      connectionError.textContent = ev.message;
    }
    addLog(ev);
  }

  const events = new EventSource("events");
  events.addEventListener("snapshot", (e) => {
    const snap = JSON.parse(e.data);
    logList.replaceChildren();
    counts.clear();
    for (const ev of snap.recent) addLog(ev); // oldest first: the newest ends on top
    for (const [type, n] of Object.entries(snap.counts)) counts.set(type, n);
    for (const ev of Object.values(snap.latest)) showLatest(ev, counts.get(ev.type) || 1);
    setStatus(snap.status, snap.error);
    document.body.dataset.live = "1";
  });
  for (const kind of ["message", "status", "error", "command"]) {
    events.addEventListener(kind, (e) => handle(JSON.parse(e.data)));
  }
  events.addEventListener("error", () => {
    if (events.readyState !== EventSource.OPEN) {
      statusEl.textContent = "playground server unreachable";
      statusEl.dataset.status = "offline";
    }
  });

  // -- command forms -----------------------------------------------------------------
  function readFile(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => {
        const url = String(reader.result);
        resolve({ name: file.name, type: file.type, base64: url.slice(url.indexOf(",") + 1) });
      };
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
  }

  // The arguments of a form by wire name. An empty control is left out: the schema default
  // applies (or the SDK says the argument is required).
  async function collect(form) {
    const args = {};
    const problems = [];
    for (const el of form.elements) {
      const kind = el.dataset && el.dataset.kind;
      if (!el.name || !kind) continue;
      if (kind === "boolean") {
        args[el.name] = el.checked;
      } else if (kind === "upload") {
        if (el.files.length) args[el.name] = { $file: await readFile(el.files[0]) };
      } else if (kind === "integer" || kind === "number") {
        if (el.validity && el.validity.badInput) problems.push(el.name + ": not a number");
        else if (el.value !== "") {
          const n = Number(el.value);
          args[el.name] = Number.isFinite(n) ? n : el.value;
        }
      } else if (el.value === "") {
        continue;
      } else if (kind === "string") {
        args[el.name] = el.value;
      } else {
        try {
          args[el.name] = JSON.parse(el.value);
        } catch (e) {
          problems.push(el.name + ": not valid JSON (" + e.message + ")");
        }
      }
    }
    return [args, problems];
  }

  function markInvalid(form, messages) {
    for (const field of $$(".field", form)) field.classList.remove("invalid");
    for (const el of form.elements) if (el.name) el.removeAttribute("aria-invalid");
    for (const message of messages) {
      // "command: field[.sub]: text" (the SDK's CommandValidationError) or "field: text"
      const parts = message.split(": ");
      const name = (parts.length > 2 ? parts[1] : parts[0]).split(".")[0];
      const el = Array.from(form.elements).find((e) => e.name === name);
      if (el) {
        el.setAttribute("aria-invalid", "true");
        el.closest(".field").classList.add("invalid");
      }
    }
  }

  for (const form of $$("form.command[data-command]")) {
    const output = $("output.result", form);
    const button = $("button[type=submit]", form);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const name = form.dataset.command;
      const [args, problems] = await collect(form);
      markInvalid(form, problems);
      if (problems.length) {
        output.className = "result error";
        output.textContent = problems.join("\n");
        return;
      }
      button.disabled = true;
      output.className = "result pending";
      output.textContent = "sending…";
      try {
        const response = await fetch("commands/" + encodeURIComponent(name), {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(args),
        });
        const text = await response.text();
        let answer;
        try {
          answer = JSON.parse(text);
        } catch (e) {
          answer = { ok: false, error: "HTTP " + response.status + ": " + text };
        }
        if (answer.ok) {
          markInvalid(form, []);
          output.className = "result ok";
          output.textContent = answer.reply
            ? "reply " + answer.reply.type + ": " + clip(json(answer.reply.data, 2))
            : "sent (no reply)";
        } else {
          markInvalid(form, answer.errors || []);
          output.className = "result error" + (response.status === 422 ? " invalid" : "");
          output.textContent = answer.error;
        }
      } catch (e) {
        output.className = "result error";
        output.textContent = "the playground server did not answer: " + e;
      } finally {
        button.disabled = false;
      }
    });
  }
})();
