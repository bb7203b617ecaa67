// The POS screen. Every form marked data-pos-form is sent with fetch and its answer (an HTML
// panel) replaces #pos-panel; without JS the same forms work as plain requests.
// - Requests run one after another (a scanner types code + Enter faster than the server
//   answers; each change must see the previous one's basket).
// - The scan field is emptied the moment a code is sent, so the next scan starts clean.
// - If the server cannot be reached the screen says so and nothing is sold: there is no
//   offline mode. The pay form keeps its checkout key, so retrying cannot charge twice.
(function () {
  "use strict";
  var queue = Promise.resolve();

  function panel() { return document.getElementById("pos-panel"); }

  function offline(show) {
    var banner = document.getElementById("pos-offline");
    if (banner) { banner.hidden = !show; }
  }

  function focusDefault(root) {
    var el = (root && root.querySelector("[data-autofocus]")) || document.getElementById("scan");
    if (el) { el.focus(); }
  }

  function release(form) {
    form.removeAttribute("data-pos-busy");
    form.querySelectorAll("button[data-pos-lock]").forEach(function (b) { b.disabled = false; });
  }

  function send(form, data) {
    var method = (form.getAttribute("method") || "get").toUpperCase();
    var url = form.getAttribute("action");
    var target = document.querySelector(form.getAttribute("data-pos-target") || "#pos-panel");
    var init = { method: method, credentials: "same-origin", headers: { "HX-Request": "true" } };
    if (method === "GET") {
      url += (url.indexOf("?") < 0 ? "?" : "&") + new URLSearchParams(data).toString();
    } else {
      init.body = data;
    }
    return fetch(url, init).then(function (resp) {
      offline(false);
      var redirect = resp.headers.get("HX-Redirect");
      if (redirect) { window.location.assign(redirect); return null; }
      if (resp.status >= 500) { throw new Error("server " + resp.status); }
      return resp.text().then(function (html) {
        if (!target) { return; }
        target.innerHTML = html;
        if (window.htmx) { window.htmx.process(target); }
        focusDefault(target);
      });
    }).catch(function () {
      offline(true);
      release(form);
    });
  }

  document.addEventListener("submit", function (ev) {
    var form = ev.target.closest("[data-pos-form]");
    if (!form || ev.defaultPrevented) { return; }
    ev.preventDefault();
    if (form.hasAttribute("data-pos-busy")) { return; } // a double click on "pay"
    var data = new FormData(form);
    var submitter = ev.submitter;
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    if (form.hasAttribute("data-pos-once")) {
      form.setAttribute("data-pos-busy", "");
      form.querySelectorAll("button[data-pos-lock]").forEach(function (b) { b.disabled = true; });
    }
    var scan = form.querySelector("[data-pos-scan]");
    if (scan) {
      if (!scan.value.trim()) { return; }
      scan.value = "";
      var box = document.getElementById("suggestions");
      if (box) { box.innerHTML = ""; }
    }
    queue = queue.then(function () { return send(form, data); });
  });

  // A quantity typed into a basket line: Enter or leaving the field sets it.
  document.addEventListener("change", function (ev) {
    var qty = ev.target.closest("[data-pos-qty]");
    if (!qty) { return; }
    var setter = qty.form.querySelector("button[value=set]");
    if (setter) { qty.form.requestSubmit(setter); }
  });
  document.addEventListener("keydown", function (ev) {
    var qty = ev.target.closest && ev.target.closest("[data-pos-qty]");
    if (qty && ev.key === "Enter") { ev.preventDefault(); qty.blur(); }
  });

  // Category tabs filter the tile grid ("Semua" shows every group).
  document.addEventListener("click", function (ev) {
    var tab = ev.target.closest("[data-pos-tab]");
    if (!tab) { return; }
    var wanted = tab.getAttribute("data-pos-tab");
    document.querySelectorAll("[data-pos-tab]").forEach(function (t) {
      t.setAttribute("aria-selected", t === tab ? "true" : "false");
    });
    document.querySelectorAll("[data-pos-group]").forEach(function (g) {
      g.hidden = wanted !== "all" && g.getAttribute("data-pos-group") !== wanted;
    });
    focusDefault(null);
  });

  // htmx (name suggestions): the same "server unreachable" banner.
  document.addEventListener("htmx:sendError", function () { offline(true); });
  document.addEventListener("htmx:afterRequest", function (ev) {
    if (ev.detail && ev.detail.successful) { offline(false); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (panel()) { focusDefault(panel()); }
  });
})();
