// The card fields (door, voting device): after each tap the field is emptied and keeps the
// focus, so the next card can be tapped straight away (the reader types into the focused field).
(function () {
  "use strict";
  function refocus() {
    var input = document.querySelector("[data-keep-focus]");
    if (input) { input.focus(); }
  }
  // Emptied as soon as the request has taken the value (not when the answer arrives): a
  // reader typing the next card meanwhile must not lose its first digits.
  document.addEventListener("htmx:beforeRequest", function (ev) {
    var form = ev.target.closest && ev.target.closest("[data-tap-form]");
    if (!form) { return; }
    var input = form.querySelector("input[name=card]");
    input.value = "";
    input.focus();
  });
  document.addEventListener("htmx:afterRequest", function (ev) {
    if (ev.target.closest && ev.target.closest("[data-tap-form]")) { refocus(); }
  });
  document.addEventListener("DOMContentLoaded", refocus);
  document.addEventListener("click", function (ev) {
    // A click elsewhere (not on a field or button) gives the focus back to the card field.
    if (!ev.target.closest("input, textarea, select, button, a, label")) { refocus(); }
  });
})();
