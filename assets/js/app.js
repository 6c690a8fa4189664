// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // The language switcher submits as soon as a language is chosen.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
    sel.addEventListener("change", function () { sel.form.submit(); });
  });
})();
