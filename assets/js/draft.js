// The forms that save as they are typed (form[data-autosave]: the
// application, templates/pages/application_edit.templ, and the concept note,
// concept_note.templ, the pages that load this file): autosave with
// retries, a copy on this device offered back after a lost connection, a
// button to add budget lines, and the budget's running total. Every text
// shown comes from the page's data-msg-* attributes, in the page's language.
// Every save sends the draft revision the page is based on (the hidden
// draft_rev); the server refuses one based on an older revision (409,
// stale), and the page then stops saving by itself and asks for the button,
// whose answer shows what changed elsewhere.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData || !window.URLSearchParams) { return; }

  var url = form.getAttribute("data-autosave");
  var statusEl = form.querySelector("[data-save-status]");
  var lang = document.documentElement.lang || "en";
  var revEl = form.querySelector("input[name=draft_rev]");
  // The copy on this device is kept by application and revision:
  // legacyKey is where pages before revisions kept it.
  var legacyKey = "missiongrants.draft:" + url, storePrefix = legacyKey + "@";
  var DEBOUNCE = 1500, MAX_RETRY = 60000, TIMEOUT = 45000, SUBMIT_WAIT = 5000;
  function rev() { return revEl ? revEl.value : ""; }

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
  // What the person typed: without the token, the revision and the
  // choices of the panel of conflicts (keep_*).
  function content(list) {
    return list.filter(function (e) { return !skipped(e[0]); });
  }
  function skipped(name) {
    return name === "csrf_token" || name === "draft_rev" || name.indexOf("keep_") === 0;
  }
  function token() {
    var t = form.querySelector("input[name=csrf_token]");
    return t ? t.value : "";
  }

  // ---- The copy kept on this device (localStorage may be missing or full),
  // until the server confirms it has what was typed: { t, rev, entries, base },
  // base being what the server had at rev (null: not known).
  var copyKey = null; // the key this page last wrote
  function readCopies() { // this draft's copies, newest first
    var out = [];
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        var k = window.localStorage.key(i);
        if (k !== legacyKey && (!k || k.indexOf(storePrefix) !== 0)) { continue; }
        var c = JSON.parse(window.localStorage.getItem(k) || "null");
        if (c && c.entries && c.t) {
          c.key = k;
          if (k === legacyKey) { c.rev = ""; c.base = null; } // based on a revision not known
          out.push(c);
        }
      }
    } catch (e) { /* no storage: nothing to offer */ }
    return out.sort(function (a, b) { return b.t - a.t; });
  }
  function writeCopy() {
    var key = storePrefix + rev();
    try {
      window.localStorage.setItem(key, JSON.stringify({ t: Date.now(), rev: rev(), base: savedList, entries: content(entries()), take: taken() }));
      if (copyKey && copyKey !== key) { window.localStorage.removeItem(copyKey); }
      copyKey = key;
    } catch (e) { /* private mode or quota: autosave still works */ }
  }
  function removeCopy(key) {
    try { window.localStorage.removeItem(key); } catch (e) { /* ignore */ }
  }
  function dropCopy() {
    if (copyKey) { removeCopy(copyKey); }
    copyKey = null;
  }
  // A form's content by field, the budget as one value: empty budget rows
  // and line endings do not count (the server drops the one and
  // normalizes the other), nor does a field left out (an unticked box).
  function fieldMap(list) {
    var m = {}, cols = { budget_category: [], budget_description: [], budget_amount: [] }, lines = [];
    content(list).forEach(function (e) {
      var v = e[1].replace(/\r\n/g, "\n");
      if (cols[e[0]]) { cols[e[0]].push(v); } else { m[e[0]] = m[e[0]] === undefined ? v : m[e[0]] + "\u0000" + v; }
    });
    var n = Math.max(cols.budget_category.length, cols.budget_description.length, cols.budget_amount.length);
    for (var i = 0; i < n; i++) {
      var line = [cols.budget_category[i] || "", cols.budget_description[i] || "", cols.budget_amount[i] || ""];
      if (line.join("") !== "") { lines.push(line); }
    }
    m.budget = JSON.stringify(lines);
    return m;
  }
  function names(maps) {
    var all = {};
    maps.forEach(function (m) { Object.keys(m).forEach(function (k) { all[k] = true; }); });
    return Object.keys(all);
  }
  function same(a, b) {
    var x = fieldMap(a), y = fieldMap(b);
    return names([x, y]).every(function (k) { return (x[k] || "") === (y[k] || ""); });
  }
  // The page (what the server has now) holds every change of the copy:
  // each field the copy changed from its base has the copy's value here.
  // Without a base, every field must be the same, but for those whose
  // saved value the person chose in the panel of conflicts.
  function holds(page, copy) {
    var now = fieldMap(page), mine = fieldMap(copy.entries), base = copy.base ? fieldMap(copy.base) : null;
    var take = copy.take || [];
    return names(base ? [mine, now, base] : [mine, now]).every(function (k) {
      if (base && (mine[k] || "") === (base[k] || "")) { return true; } // not changed on this device
      return (mine[k] || "") === (now[k] || "") || take.indexOf(unitOf(k)) >= 0;
    });
  }
  // The part of the form chosen as a whole in the panel of conflicts
  // (application.Conflict's Unit).
  function unitOf(name) {
    if (name.indexOf("budget") === 0) { return "budget"; }
    var m = /^team_(?:count|names)_(.+)$/.exec(name);
    return m ? "team_" + m[1] : name;
  }
  // The parts whose saved value the person chose (keep_UNIT=theirs).
  function taken() {
    var out = [];
    form.querySelectorAll("input[type=radio][name^='keep_']:checked").forEach(function (r) {
      if (r.value === "theirs") { out.push(r.name.slice(5)); }
    });
    return out;
  }

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
    var rm = row.querySelector("[data-remove-line]");
    if (rm) { rm.value = String(n); rm.textContent = msg("remove", "{n}", String(n + 1)); }
    lines.appendChild(row);
    if (addBtn) { addBtn.hidden = rows().length >= maxLines; }
    return row;
  }
  // "Remove line N" (without JavaScript, a button that saves the form
  // without it): the row goes at once, the others are numbered again, and
  // autosave keeps the change; the last row is emptied instead.
  function renumber() {
    Array.prototype.forEach.call(rows(), function (row, n) {
      row.querySelectorAll("input, select, textarea").forEach(function (el) {
        el.id = el.id.replace(/_\d+$/, "_" + n);
        var d = el.getAttribute("aria-describedby");
        if (d) { el.setAttribute("aria-describedby", d.replace(/_\d+-error/, "_" + n + "-error")); }
      });
      row.querySelectorAll("label[for]").forEach(function (l) {
        l.setAttribute("for", l.getAttribute("for").replace(/_\d+$/, "_" + n));
      });
      row.querySelectorAll(".field-error[id]").forEach(function (p) { p.id = p.id.replace(/_\d+-error/, "_" + n + "-error"); });
      var legend = row.querySelector("[data-line-legend]");
      if (legend) { legend.textContent = msg("line", "{n}", String(n + 1)); }
      var rm = row.querySelector("[data-remove-line]");
      if (rm) { rm.value = String(n); rm.textContent = msg("remove", "{n}", String(n + 1)); }
    });
  }
  if (lines) {
    lines.addEventListener("click", function (e) {
      var btn = e.target && e.target.closest ? e.target.closest("[data-remove-line]") : null;
      if (!btn) { return; }
      e.preventDefault();
      var row = btn.closest("[data-budget-row]"), all = rows();
      var i = Array.prototype.indexOf.call(all, row);
      if (all.length > 1) {
        row.parentNode.removeChild(row);
      } else {
        row.querySelectorAll("input, select, textarea").forEach(function (el) {
          if (el.tagName === "SELECT") { el.selectedIndex = 0; } else { el.value = ""; }
        });
      }
      renumber();
      if (addBtn) { addBtn.hidden = rows().length >= maxLines; }
      updateTotal();
      var left = rows(), next = left[Math.min(i, left.length - 1)];
      var focus = next ? next.querySelector("select, input") : addBtn;
      if (focus) { focus.focus(); }
      say(msg("removed"), false);
      changed();
    });
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
  var waiting = false, waitingButton = null; // the form was submitted while a save was in flight, with this button
  // A page whose save was refused as stale shows the person's values over
  // a newer draft, with choices to make: it saves only with its button.
  var paused = form.hasAttribute("data-stale");
  // What the server has at rev(): the page as rendered (not known on a
  // stale page, which shows the person's values, not the server's).
  var savedList = paused ? null : content(entries());

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
    if (kind === "stale") { // saved elsewhere since: the button's answer shows what changed
      say(msg("stale"), true);
      paused = true;
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
    if (inFlight || submitting || paused || !dirty()) { return; }
    var sentList = content(entries());
    if (savedList && same(sentList, savedList)) { savedVersion = version; dropCopy(); return; } // changed back, or only touched
    var payload = body().toString();
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
      if (res.status === 409) { // stale, or not editable any more
        return res.json().then(function (d) { return { fail: d && d.stale ? "stale" : "conflict", code: 409 }; },
          function () { return { fail: "conflict", code: 409 }; });
      }
      if (res.status === 404) { return { fail: "conflict", code: res.status }; }
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
      var d = r.data || {};
      if (!r.fail) {
        // The server kept what was sent, as revision d.rev: the next save is based on it.
        if (revEl && typeof d.rev === "number") { revEl.value = String(d.rev); }
        if (sent > savedVersion) { savedVersion = sent; savedList = sentList; }
        retryDelay = 0;
      }
      if (waiting) { resubmit(); return; } // the button was pressed meanwhile: its save goes now
      if (r.fail) { failed(r.fail, r.code); return; }
      say(savedText(d.saved_at) || d.message || savedText(new Date().toISOString()), false);
      if (!dirty()) { dropCopy(); } else { writeCopy(); schedule(DEBOUNCE); } // the rest, now based on d.rev
    });
  }
  function changed() {
    version++;
    writeCopy();
    if (!retryDelay) { schedule(DEBOUNCE); } // when failing, the backoff timer is already set
  }
  // The form's own submission, with the button that was pressed.
  function resubmit() {
    var button = waitingButton;
    waiting = false;
    waitingButton = null;
    if (form.requestSubmit) { form.requestSubmit(button); return; }
    if (button && button.name) {
      var h = document.createElement("input");
      h.type = "hidden";
      h.name = button.name;
      h.value = button.value;
      form.appendChild(h);
    }
    submitting = true;
    form.submit();
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
  form.addEventListener("submit", function (e) {
    if (inFlight && !submitting) {
      // Leaving a field for the button saves it on the way. Sent now, the
      // submission would be based on the revision that save replaces and
      // come back as changed elsewhere (by this very page): it waits for
      // the save, a few seconds at most, and goes with its revision.
      e.preventDefault();
      if (!waiting) {
        waiting = true;
        waitingButton = e.submitter || null;
        setTimeout(function () { if (waiting && pending) { pending.abort(); } }, SUBMIT_WAIT);
      }
      return;
    }
    submitting = true;
    clearTimeout(timer);
  });
  window.addEventListener("online", function () { if (dirty()) { retryDelay = 0; save(); } });

  // Leaving or hiding the page: hand the unsaved changes to the browser to
  // send (a beacon cannot set headers; csrf_token is in the body). The copy
  // on this device stays: the next page load drops it once the server has it.
  function flush() {
    if (submitting || paused || !dirty() || beaconVersion === version || !navigator.sendBeacon) { return; }
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

  // ---- On load: a copy on this device with changes the server does not
  // have means changes that never reached it: offer them back.
  function apply(list) {
    var values = {};
    list.forEach(function (e) { (values[e[0]] = values[e[0]] || []).push(e[1]); });
    var wanted = (values.budget_category || []).length;
    while (lines && rows().length < wanted && addRow()) { /* add the rows the copy had */ }
    var seen = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      var name = el.name;
      if (!name || skipped(name) || name === "action" || el.type === "button" || el.type === "submit") { return; }
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
  // A stale page shows what the person typed and nowhere else has it yet:
  // it is the copy now, based on the revision the page shows.
  if (paused) { writeCopy(); }
  (function offerRestore() {
    var page = entries(), copy = null;
    readCopies().forEach(function (c) {
      if (c.key === copyKey) { return; }
      if (holds(page, c)) { removeCopy(c.key); } // the server has it all
      else if (!copy) { copy = c; }
    });
    if (!copy) { return; }
    var box = form.querySelector("[data-restore]");
    if (!box) { return; }
    var when;
    try { when = new Date(copy.t).toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" }); }
    catch (e) { when = new Date(copy.t).toLocaleString(); }
    box.querySelector("[data-restore-text]").textContent = msg("restore", "{time}", when);
    box.hidden = false;
    box.querySelector("[data-restore-yes]").addEventListener("click", function () {
      var older = copy.rev !== rev();
      apply(copy.entries);
      // Saved again with the revision it was typed on, so that the server
      // sees what changed elsewhere since, and asks or merges.
      if (revEl) { revEl.value = copy.rev; }
      savedList = copy.base || null;
      box.hidden = true;
      removeCopy(copy.key);
      changed();
      if (older) {
        paused = true;
        say(msg("restored-stale"), true);
      } else {
        say(msg("restored"), false);
      }
      var first = form.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
    });
    box.querySelector("[data-restore-no]").addEventListener("click", function () {
      box.hidden = true;
      removeCopy(copy.key);
      var first = form.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
    });
  })();
})();
