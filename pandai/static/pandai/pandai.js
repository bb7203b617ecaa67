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
