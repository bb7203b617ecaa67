// Catalogue data entry: in a form marked data-enter-next, Enter moves to the next input (as a
// barcode scanner or a fast typist expects) instead of submitting; the change event of the
// field left behind saves it where the page wires HTMX. Enter on the last input submits.
(function () {
  "use strict";
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" || ev.isComposing) { return; }
    var input = ev.target;
    if (!(input instanceof HTMLInputElement)) { return; }
    var form = input.closest("form[data-enter-next]");
    if (!form) { return; }
    var fields = Array.prototype.filter.call(
      form.querySelectorAll("input:not([type=hidden]):not([type=checkbox]):not([disabled])"),
      function (el) { return el.offsetParent !== null; }
    );
    var at = fields.indexOf(input);
    if (at < 0 || at === fields.length - 1) { return; }
    ev.preventDefault();
    fields[at + 1].focus();
    fields[at + 1].select();
  });
})();
