// The card-tap form: after each tap the field is emptied and keeps the focus, so the next
// card can be tapped straight away (the reader types into whatever field has the focus).
(function () {
  "use strict";
  document.addEventListener("htmx:afterRequest", function (ev) {
    var form = ev.target.closest && ev.target.closest("[data-tap-form]");
    if (!form) { return; }
    var input = form.querySelector("input[name=card]");
    input.value = "";
    input.focus();
  });
})();
