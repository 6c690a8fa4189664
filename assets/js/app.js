// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // The language switcher submits as soon as a language is chosen with the
  // mouse or touch. Arrow keys change a closed select too, so from the
  // keyboard the choice waits for Enter (or the hidden button).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
    var keyboard = false;
    sel.addEventListener("keydown", function (e) {
      keyboard = true;
      if (e.key === "Enter") { e.preventDefault(); sel.form.submit(); }
    });
    sel.addEventListener("pointerdown", function () { keyboard = false; });
    sel.addEventListener("change", function () { if (!keyboard) { sel.form.submit(); } });
  });
  // A form that came back with mistakes: its summary takes the focus, so a
  // screen reader reads it and the keyboard starts from its links.
  var summary = document.querySelector("[data-focus]");
  if (summary) { summary.focus(); }
})();

// Application form (templates/pages/application_edit.html): autosave with
// retries, a copy on this device offered back after a lost connection, a
// button to add budget lines, and the budget's running total. Every text
// shown comes from the page's data-msg-* attributes, in the page's language.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData || !window.URLSearchParams) { return; }

  var url = form.getAttribute("data-autosave");
  var statusEl = form.querySelector("[data-save-status]");
  var lang = document.documentElement.lang || "en";
  var storeKey = "missiongrants.draft:" + url;
  var DEBOUNCE = 1500, MAX_RETRY = 60000, TIMEOUT = 45000, STALE_MARGIN = 5 * 60000;

  function msg(name, token, value) {
    var s = form.getAttribute("data-msg-" + name) || "";
    return token ? s.split(token).join(value) : s;
  }
  // "Saved at" in the person's own time zone, with the date unless today.
  function savedText(iso) {
    var d = new Date(iso);
    if (!iso || isNaN(d.getTime())) { return ""; }
    var opts = d.toDateString() === new Date().toDateString() ?
      { hour: "2-digit", minute: "2-digit" } : { dateStyle: "medium", timeStyle: "short" };
    var when;
    try { when = d.toLocaleString(lang, opts); } catch (e) { when = d.toLocaleString(); }
    return msg("saved", "{time}", when);
  }
  function say(text, isError) {
    if (!statusEl || !text) { return; }
    if (statusEl.textContent !== text) { statusEl.textContent = text; }
    statusEl.classList.toggle("is-error", !!isError);
  }

  // ---- What the form holds, as the server would receive it.
  function entries() {
    var out = [];
    new FormData(form).forEach(function (v, k) {
      if (k !== "action" && typeof v === "string") { out.push([k, v]); }
    });
    return out;
  }
  function body() {
    var p = new URLSearchParams();
    entries().forEach(function (e) { p.append(e[0], e[1]); });
    return p;
  }
  function withoutToken(list) {
    return list.filter(function (e) { return e[0] !== "csrf_token"; });
  }
  function token() {
    var t = form.querySelector("input[name=csrf_token]");
    return t ? t.value : "";
  }

  // ---- The copy kept on this device (localStorage may be missing or full).
  function readCopy() {
    try {
      var c = JSON.parse(window.localStorage.getItem(storeKey) || "null");
      return c && c.entries && c.t ? c : null;
    } catch (e) { return null; }
  }
  function writeCopy() {
    try {
      window.localStorage.setItem(storeKey, JSON.stringify({ t: Date.now(), entries: withoutToken(entries()) }));
    } catch (e) { /* private mode or quota: autosave still works */ }
  }
  function dropCopy() {
    try { window.localStorage.removeItem(storeKey); } catch (e) { /* ignore */ }
  }
  // Two states hold the same content when they differ only in empty budget
  // rows or line endings (the server drops the one and normalizes the other).
  function canon(list) {
    var simple = [], cols = { budget_category: [], budget_description: [], budget_amount: [] }, lines = [];
    list.forEach(function (e) {
      var v = e[1].replace(/\r\n/g, "\n");
      if (cols[e[0]]) { cols[e[0]].push(v); } else if (e[0] !== "csrf_token") { simple.push([e[0], v]); }
    });
    var n = Math.max(cols.budget_category.length, cols.budget_description.length, cols.budget_amount.length);
    for (var i = 0; i < n; i++) {
      var line = [cols.budget_category[i] || "", cols.budget_description[i] || "", cols.budget_amount[i] || ""];
      if (line.join("") !== "") { lines.push(line); }
    }
    return JSON.stringify([simple, lines]);
  }
  function same(a, b) { return canon(a) === canon(b); }

  // ---- Budget: parse amounts like money.Parse, show the total like money.Format.
  function parseCents(s) {
    s = String(s).trim();
    s = s.replace(/^US\$/, "").replace(/^\$/, "");
    s = s.replace(/USD$/, "").trim().replace(/\$$/, "");
    s = s.trim().replace(/^USD/, "").trim();
    if (s === "") { return { empty: true }; }
    if (/^[-(]/.test(s)) { return null; }
    s = s.replace(/[\s'\u202f]/g, "");
    var whole = s, frac = "";
    var i = Math.max(s.lastIndexOf("."), s.lastIndexOf(","));
    var after = s.length - i - 1;
    if (i >= 0 && after >= 1 && after <= 2) {
      whole = s.slice(0, i); frac = s.slice(i + 1);
    } else if (i >= 0 && i === s.length - 1) {
      return null;
    }
    if (/[.,]/.test(frac)) { return null; }
    if (/[.,]/.test(whole)) {
      if (whole.indexOf(".") >= 0 && whole.indexOf(",") >= 0) { return null; }
      var parts = whole.split(whole.indexOf(".") >= 0 ? "." : ",");
      if (parts[0].length === 0 || parts[0].length > 3) { return null; }
      for (var j = 1; j < parts.length; j++) { if (parts[j].length !== 3) { return null; } }
      whole = parts.join("");
    }
    if (whole === "") { whole = "0"; }
    if (!/^\d+$/.test(whole) || !/^\d*$/.test(frac) || whole.length > 10) { return null; }
    var cents = parseInt(whole, 10) * 100 + (frac.length === 1 ? +frac * 10 : frac.length === 2 ? +frac : 0);
    return cents > 100000000000 ? null : { cents: cents };
  }
  function formatCents(c, cur) {
    var group = ",", dec = ".";
    if (lang === "es") { group = "."; dec = ","; }
    var units = String(Math.floor(c / 100)), cents = c % 100, out = "";
    for (var i = 0; i < units.length; i++) {
      if (i > 0 && (units.length - i) % 3 === 0) { out += group; }
      out += units.charAt(i);
    }
    var prefix = !cur || cur === "USD" ? "US$" : cur + " ";
    return prefix + out + dec + (cents < 10 ? "0" : "") + cents;
  }
  if (form.getAttribute("data-saved-at")) { say(savedText(form.getAttribute("data-saved-at")), false); }

  var totalEl = form.querySelector("[data-budget-total]");
  var partialEl = form.querySelector("[data-budget-partial]");
  function updateTotal() {
    if (!totalEl) { return; }
    var total = 0, unread = false;
    form.querySelectorAll("[data-budget-amount]").forEach(function (input) {
      var r = parseCents(input.value);
      if (r === null) { unread = true; } else if (!r.empty) { total += r.cents; }
    });
    totalEl.textContent = formatCents(total, form.getAttribute("data-currency"));
    if (partialEl) { partialEl.hidden = !unread; }
  }

  // ---- Budget lines: "Add a budget line" clones the last row, emptied.
  var lines = form.querySelector("[data-budget-lines]");
  var addBtn = form.querySelector("[data-add-line]");
  var maxLines = lines ? parseInt(lines.getAttribute("data-max-lines"), 10) || 50 : 0;
  function rows() { return lines ? lines.querySelectorAll("[data-budget-row]") : []; }
  function addRow() {
    var all = rows();
    if (!all.length || all.length >= maxLines) { return null; }
    var n = all.length, row = all[all.length - 1].cloneNode(true);
    row.querySelectorAll(".field-error").forEach(function (p) { p.parentNode.removeChild(p); });
    row.querySelectorAll(".has-error").forEach(function (d) { d.classList.remove("has-error"); });
    row.querySelectorAll("input, select, textarea").forEach(function (el) {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-describedby");
      el.id = el.id.replace(/_\d+$/, "_" + n);
      if (el.tagName === "SELECT") { el.selectedIndex = 0; } else { el.value = ""; }
    });
    row.querySelectorAll("label[for]").forEach(function (l) {
      l.setAttribute("for", l.getAttribute("for").replace(/_\d+$/, "_" + n));
    });
    var legend = row.querySelector("[data-line-legend]");
    if (legend) { legend.textContent = msg("line", "{n}", String(n + 1)); }
    lines.appendChild(row);
    if (addBtn) { addBtn.hidden = rows().length >= maxLines; }
    return row;
  }
  if (addBtn && lines) {
    addBtn.hidden = rows().length >= maxLines;
    addBtn.addEventListener("click", function () {
      var row = addRow();
      if (row) { var first = row.querySelector("select, input"); if (first) { first.focus(); } }
    });
  }

  // ---- Autosave: debounced, one request at a time, retried with backoff.
  var version = 0;      // bumped on every change
  var savedVersion = 0; // the last version the server confirmed
  var inFlight = false, timer = null, retryDelay = 0, submitting = false, beaconVersion = -1;
  var pending = null; // the AbortController of the save in flight
  var savedBody = body().toString(); // what the server has: the page as rendered

  function dirty() { return version !== savedVersion; }
  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  }
  function failed(kind, code) {
    if (kind === "conflict") { // not editable any more: retrying cannot help
      say(msg("conflict"), true);
      submitting = true;
      return;
    }
    if (kind === "session") { say(msg("session"), true); }
    else if (kind === "offline") { say(msg("offline"), true); }
    else { say(msg("failed", "{code}", String(code)), true); }
    if (kind === "refused") { retryDelay = 0; return; } // the same text would be refused again: wait for a change
    retryDelay = Math.min(retryDelay ? retryDelay * 2 : 2000, MAX_RETRY);
    schedule(retryDelay);
  }
  function save() {
    clearTimeout(timer);
    if (inFlight || submitting || !dirty()) { return; }
    var payload = body().toString();
    if (payload === savedBody) { savedVersion = version; dropCopy(); return; } // changed back, or only touched
    inFlight = true;
    var sent = version;
    if (!retryDelay) { say(msg("saving"), false); } // while retrying, keep the warning up
    var ctrl = window.AbortController ? new AbortController() : null;
    pending = ctrl;
    var killer = ctrl ? setTimeout(function () { ctrl.abort(); }, TIMEOUT) : null;
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
        "X-CSRF-Token": token(),
        "Accept": "application/json"
      },
      body: payload,
      signal: ctrl ? ctrl.signal : undefined
    }).then(function (res) {
      if (res.status === 401 || res.status === 403 || res.redirected) { return { fail: "session", code: res.status }; }
      if (res.status === 404 || res.status === 409) { return { fail: "conflict", code: res.status }; }
      if (res.status === 413 || res.status === 422) { return { fail: "refused", code: res.status }; }
      if (!res.ok) { return { fail: res.status >= 500 || res.status === 408 || res.status === 429 ? "offline" : "failed", code: res.status }; }
      return res.json().then(function (data) { return { data: data }; }, function () { return { fail: "session", code: res.status }; });
    }, function () {
      return { fail: "offline" };
    }).then(function (r) {
      clearTimeout(killer);
      inFlight = false;
      pending = null;
      if (submitting) { return; } // the submission carries everything; the page is leaving
      if (r.fail) { failed(r.fail, r.code); return; }
      retryDelay = 0;
      if (sent > savedVersion) { savedVersion = sent; savedBody = payload; }
      var d = r.data || {};
      say(savedText(d.saved_at) || d.message || savedText(new Date().toISOString()), false);
      if (!dirty()) { dropCopy(); } else { schedule(DEBOUNCE); }
    });
  }
  function changed() {
    version++;
    writeCopy();
    if (!retryDelay) { schedule(DEBOUNCE); } // when failing, the backoff timer is already set
  }

  form.addEventListener("input", function (e) {
    if (e.target && e.target.hasAttribute && e.target.hasAttribute("data-budget-amount")) { updateTotal(); }
    changed();
  });
  form.addEventListener("change", function () {
    changed(); // also for browsers that send no input event for some controls
    if (!retryDelay) { save(); }
  });
  form.addEventListener("focusout", function () { if (dirty() && !retryDelay) { save(); } });
  form.addEventListener("submit", function () {
    submitting = true;
    clearTimeout(timer);
    // Leaving a field for the submit button saves it on the way: the save
    // then races the submission and, arriving second, would be refused
    // (the application is no longer a draft). The submission has it all.
    if (pending) { pending.abort(); }
  });
  window.addEventListener("online", function () { if (dirty()) { retryDelay = 0; save(); } });

  // Leaving or hiding the page: hand the unsaved changes to the browser to
  // send (a beacon cannot set headers; csrf_token is in the body).
  function flush() {
    if (submitting || !dirty() || beaconVersion === version || !navigator.sendBeacon) { return; }
    try {
      if (navigator.sendBeacon(url, body())) { beaconVersion = version; }
    } catch (e) { /* nothing more can be done while leaving */ }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { flush(); }
    else if (dirty()) { retryDelay = 0; save(); } // back: confirm, and show the real state
  });
  window.addEventListener("pagehide", flush);
  window.addEventListener("pageshow", function (e) {
    if (e.persisted) { submitting = false; } // back from the history after a submission
  });

  // ---- On load: a copy on this device that differs from what the server
  // has means changes that never reached it: offer them back.
  function apply(list) {
    var values = {};
    list.forEach(function (e) { (values[e[0]] = values[e[0]] || []).push(e[1]); });
    var wanted = (values.budget_category || []).length;
    while (lines && rows().length < wanted && addRow()) { /* add the rows the copy had */ }
    var seen = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      var name = el.name;
      if (!name || name === "csrf_token" || name === "action" || el.type === "button" || el.type === "submit") { return; }
      var vals = values[name] || [];
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = vals.indexOf(el.value) >= 0;
      } else {
        var i = seen[name] || 0;
        seen[name] = i + 1;
        el.value = i < vals.length ? vals[i] : "";
      }
    });
    updateTotal();
  }
  (function offerRestore() {
    var copy = readCopy();
    if (!copy) { return; }
    // The server saved well after this copy was made (from another device):
    // the copy is stale. The margin absorbs a device clock a little off.
    var serverAt = Date.parse(form.getAttribute("data-saved-at") || "");
    if (same(copy.entries, withoutToken(entries())) || (serverAt && serverAt - copy.t > STALE_MARGIN)) { dropCopy(); return; }
    var box = form.querySelector("[data-restore]");
    if (!box) { return; }
    var when;
    try { when = new Date(copy.t).toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" }); }
    catch (e) { when = new Date(copy.t).toLocaleString(); }
    box.querySelector("[data-restore-text]").textContent = msg("restore", "{time}", when);
    box.hidden = false;
    box.querySelector("[data-restore-yes]").addEventListener("click", function () {
      apply(copy.entries);
      box.hidden = true;
      changed();
      say(msg("restored"), false);
      var first = form.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
    });
    box.querySelector("[data-restore-no]").addEventListener("click", function () {
      box.hidden = true;
      if (!dirty()) { dropCopy(); }
      var first = form.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
    });
  })();
})();

// The board's scoring form (templates/partials/application_board.html): the
// weighted total follows the scores as they are chosen, computed as the
// server does (review.Submit): the weighted mean, truncated to two decimals.
(function () {
  "use strict";
  document.querySelectorAll("form[data-weighted]").forEach(function (form) {
    var out = form.querySelector("[data-weighted-total]");
    if (!out) { return; }
    function update() {
      var names = {}, sum = 0, weights = 0, missing = false;
      form.querySelectorAll("input[type=radio][data-weight]").forEach(function (r) { names[r.name] = true; });
      Object.keys(names).forEach(function (name) {
        var checked = form.querySelector("input[type=radio][name='" + name + "']:checked");
        if (!checked) { missing = true; return; }
        var w = parseInt(checked.getAttribute("data-weight"), 10) || 1;
        sum += (parseInt(checked.value, 10) || 0) * w;
        weights += w;
      });
      if (missing || !weights) { out.textContent = "–"; return; }
      var milli = Math.floor(1000 * sum / weights);
      var cents = Math.floor((milli % 1000) / 10);
      out.textContent = Math.floor(milli / 1000) + "." + (cents < 10 ? "0" : "") + cents;
    }
    form.addEventListener("change", update);
    update();
  });
})();

// Document uploads: each chosen file goes up on its own, with a progress
// bar, while the page keeps working; a refused file shows the server's
// reason. Without JavaScript the form posts all files at once.
(function () {
  "use strict";
  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    var list = form.querySelector("[data-upload-list]");
    var input = form.querySelector("input[type=file]");
    var token = (document.querySelector("input[name=csrf_token]") || {}).value || "";
    form.addEventListener("submit", function (ev) {
      if (!window.FormData || !input.files.length) { return; }
      ev.preventDefault();
      var files = Array.prototype.slice.call(input.files);
      var fields = {kind: form.elements.kind.value, expires_on: form.elements.expires_on ? form.elements.expires_on.value : ""};
      input.value = "";
      var anyDone = false;
      var next = function () {
        var file = files.shift();
        if (!file) {
          if (anyDone) { window.setTimeout(function () { window.location.reload(); }, 1200); }
          return;
        }
        upload(file, fields, function (ok) { anyDone = anyDone || ok; next(); });
      };
      next();
    });

    function upload(file, fields, done) {
      var item = document.createElement("li");
      var name = document.createElement("span");
      name.textContent = file.name;
      var bar = document.createElement("progress");
      bar.max = 100; bar.value = 0;
      bar.setAttribute("aria-label", form.dataset.msgUploading + " " + file.name);
      var status = document.createElement("span");
      status.className = "upload-status";
      status.textContent = form.dataset.msgUploading;
      item.appendChild(name); item.appendChild(bar); item.appendChild(status);
      list.appendChild(item);
      function refused(reason) {
        item.className = "refused";
        item.removeChild(bar);
        status.textContent = reason;
        done(false);
      }
      // On a slow line, a file over the limit is refused before it is sent.
      if (file.size > Number(form.dataset.maxBytes || Infinity)) { refused(form.dataset.msgTooLarge); return; }

      var data = new FormData();
      data.append("kind", fields.kind);
      data.append("expires_on", fields.expires_on);
      data.append("file", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action").split("?")[0]);
      xhr.setRequestHeader("X-CSRF-Token", token);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); }
      });
      xhr.addEventListener("load", function () {
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON: say it failed */ }
        if (xhr.status >= 200 && xhr.status < 300) {
          bar.value = 100;
          item.className = "ok";
          status.textContent = form.dataset.msgDone;
          done(true);
        } else {
          refused(body.error || form.dataset.msgFailed);
        }
      });
      xhr.addEventListener("error", function () { refused(form.dataset.msgOffline); });
      xhr.send(data);
    }
  });

  // Buttons that ask before doing something that cannot be undone.
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (ev) {
      if (!window.confirm(el.dataset.confirm)) { ev.preventDefault(); }
    });
  });
})();
