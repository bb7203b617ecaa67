// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { ev.preventDefault(); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.querySelector("[data-autofocus]");
    if (el) { el.focus(); }
  });
  // No inline handlers (the Content-Security-Policy refuses them): print buttons, selects that
  // submit their form, and buttons that fill a form's text from their data-template.
  document.addEventListener("click", function (ev) {
    if (ev.target.closest("[data-print]")) { window.print(); return; }
    var fill = ev.target.closest("[data-fill-text]");
    if (fill && fill.form) {
      var field = fill.form.querySelector("[name=text]");
      if (field) { field.value = fill.getAttribute("data-template"); }
    }
  });
  document.addEventListener("change", function (ev) {
    var select = ev.target.closest("[data-autosubmit]");
    if (select && select.form) { select.form.submit(); }
  });
  // On-screen PIN pad: digit buttons fill the field named by data-pin-target.
  document.addEventListener("click", function (ev) {
    var key = ev.target.closest("[data-pin-key]");
    if (!key) { return; }
    ev.preventDefault();
    var pad = key.closest("[data-pin-target]");
    var input = document.getElementById(pad.getAttribute("data-pin-target"));
    var dots = pad.parentElement.querySelector(".pin-dots");
    var value = key.getAttribute("data-pin-key");
    if (value === "clear") { input.value = ""; }
    else if (value === "back") { input.value = input.value.slice(0, -1); }
    else if (input.value.length < 6) { input.value += value; }
    if (dots) { dots.textContent = "●".repeat(input.value.length); }
  });
})();
