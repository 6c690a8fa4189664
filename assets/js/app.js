// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // What only a page without script needs (the language menu's button) is
  // hidden element by element: a class on <html> would restyle the whole
  // page once it has been drawn.
  document.querySelectorAll("[data-no-script]").forEach(function (el) { el.hidden = true; });
  // The browser's time zone, for the pages' times of a person who has not
  // chosen one; the next page shows them in it. A worker asks for it
  // (zone.js), once per tab, and not for a person whose profile names a
  // zone.
  var zoneWorker = document.currentScript && document.currentScript.getAttribute("data-zone-worker");
  try {
    if (zoneWorker && !document.documentElement.hasAttribute("data-zone-chosen") &&
        !(document.cookie.indexOf("tz=") >= 0 && sessionStorage.getItem("tz-asked"))) {
      var w = new Worker(zoneWorker);
      w.onmessage = function (e) {
        var tz = e.data;
        if (tz && document.cookie.indexOf("tz=" + encodeURIComponent(tz)) < 0) {
          document.cookie = "tz=" + encodeURIComponent(tz) + "; path=/; max-age=31536000; samesite=lax" + (location.protocol === "https:" ? "; secure" : "");
        }
        try { sessionStorage.setItem("tz-asked", "1"); } catch (err) { /* no storage: asked again */ }
        w.terminate();
      };
    }
  } catch (e) { /* no workers or no storage: times stay in UTC, named */ }
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
  // Buttons that print the page, or copy a block's text (recovery codes):
  // shown only where a script can run them, and saying when it is done.
  // A part of the application saved with its button: the copies of it
  // kept on this device (see the form's script below) are the server's now.
  document.querySelectorAll("[data-drop-copies]").forEach(function (el) {
    var prefix = el.getAttribute("data-drop-copies");
    try {
      for (var i = window.localStorage.length - 1; i >= 0; i--) {
        var k = window.localStorage.key(i);
        if (k && k.indexOf(prefix) === 0) { window.localStorage.removeItem(k); }
      }
    } catch (e) { /* no storage */ }
  });
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("[data-copy]").forEach(function (b) {
    var from = document.getElementById(b.getAttribute("data-copy"));
    if (!from || !navigator.clipboard) { return; }
    b.hidden = false;
    b.addEventListener("click", function () {
      navigator.clipboard.writeText(from.innerText.trim()).then(function () {
        b.textContent = b.getAttribute("data-done");
      });
    });
  });
  // A form that came back with mistakes: its summary takes the focus, so a
  // screen reader reads it and the keyboard starts from its links.
  var summary = document.querySelector("[data-focus]");
  if (summary) { summary.focus(); }
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
      var mark = document.documentElement.lang === "es" ? "," : "."; // as review.Review.WeightedIn writes it
      out.textContent = Math.floor(milli / 1000) + mark + (cents < 10 ? "0" : "") + cents;
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
