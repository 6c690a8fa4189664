// Passkeys (WebAuthn): adding one on the profile page, and signing in with
// one. Each form[data-passkey] asks the portal for the ceremony's options
// (data-passkey-options), lets the browser create or use a passkey, puts
// the result in the form's "credential" field and submits the form, whose
// answer is an ordinary page. Where the browser has no WebAuthn the forms
// stay hidden and the [data-passkey-unsupported] notes stay shown.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-passkey]");
  if (!forms.length) { return; }
  var supported = !!(window.PublicKeyCredential && navigator.credentials &&
    navigator.credentials.create && navigator.credentials.get && window.fetch);
  if (!supported) { return; }
  document.querySelectorAll("[data-passkey-unsupported]").forEach(function (n) { n.hidden = true; });

  function toBytes(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) { s += "="; }
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out.buffer;
  }
  function toText(buf) {
    if (!buf) { return null; }
    var bytes = new Uint8Array(buf), bin = "";
    for (var i = 0; i < bytes.length; i++) { bin += String.fromCharCode(bytes[i]); }
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function descriptors(list) {
    return (list || []).map(function (d) {
      var out = { type: d.type, id: toBytes(d.id) };
      if (d.transports) { out.transports = d.transports; }
      return out;
    });
  }
  // The options as the portal sends them (base64url strings) become what
  // navigator.credentials takes (bytes).
  function creationOptions(o) {
    var pk = o.publicKey;
    pk.challenge = toBytes(pk.challenge);
    pk.user.id = toBytes(pk.user.id);
    pk.excludeCredentials = descriptors(pk.excludeCredentials);
    return { publicKey: pk };
  }
  function requestOptions(o) {
    var pk = o.publicKey;
    pk.challenge = toBytes(pk.challenge);
    if (pk.allowCredentials) { pk.allowCredentials = descriptors(pk.allowCredentials); }
    return { publicKey: pk };
  }
  // The credential as JSON, as the portal's library reads it.
  function credentialJSON(c) {
    var r = c.response, out = {
      id: c.id, rawId: toText(c.rawId), type: c.type,
      authenticatorAttachment: c.authenticatorAttachment || undefined,
      clientExtensionResults: c.getClientExtensionResults ? c.getClientExtensionResults() : {},
      response: { clientDataJSON: toText(r.clientDataJSON) }
    };
    if (r.attestationObject) {
      out.response.attestationObject = toText(r.attestationObject);
      if (r.getTransports) { out.response.transports = r.getTransports(); }
    } else {
      out.response.authenticatorData = toText(r.authenticatorData);
      out.response.signature = toText(r.signature);
      if (r.userHandle) { out.response.userHandle = toText(r.userHandle); }
    }
    return JSON.stringify(out);
  }

  forms.forEach(function (form) {
    var status = form.querySelector("[data-passkey-status]");
    var button = form.querySelector("button[type=submit]");
    var register = form.getAttribute("data-passkey") === "register";
    var token = form.querySelector("input[name=csrf_token]").value;
    form.hidden = false;
    function say(text) { if (status) { status.textContent = text; } }
    form.addEventListener("submit", function (e) {
      if (form.elements.credential.value) { return; } // the browser has answered: send it
      e.preventDefault();
      if (register && form.elements.passkey_name && !form.elements.passkey_name.value.trim()) {
        form.submit(); // the portal says the name is missing, beside the field
        return;
      }
      button.disabled = true;
      say(form.getAttribute("data-passkey-waiting"));
      fetch(form.getAttribute("data-passkey-options"), {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": token },
        body: "csrf_token=" + encodeURIComponent(token)
      }).then(function (res) {
        return res.json().then(function (body) {
          if (!res.ok) { throw new Error(body.error || res.statusText); }
          return body;
        });
      }).then(function (o) {
        return register ? navigator.credentials.create(creationOptions(o)) : navigator.credentials.get(requestOptions(o));
      }).then(function (cred) {
        form.elements.credential.value = credentialJSON(cred);
        form.submit();
      }).catch(function (err) {
        button.disabled = false;
        var msg = form.getAttribute("data-passkey-failed");
        say(err && err.name === "Error" && err.message ? err.message : msg);
      });
    });
  });
})();
