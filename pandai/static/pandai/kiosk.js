/* Kiosk screens: card reader field always focused, PIN pad, on-screen keyboard, read-aloud
   button, and the idle timer (countdown, then sign-out that leaves nothing behind). Vanilla,
   no external assets. */
(function () {
  "use strict";
  var body = document.body;
  var home = body.getAttribute("data-home-url") || "/kios/";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /* A page shown again from the back/forward cache must be asked from the server again:
     after sign-out the server answers with the card screen. */
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { window.location.reload(); }
  });

  /* The card reader types the UID and Enter into this field: keep it focused. */
  var cardInput = document.querySelector("[data-card-input]");
  if (cardInput) {
    var refocus = function () { window.setTimeout(function () { cardInput.focus(); }, 0); };
    cardInput.addEventListener("blur", refocus);
    document.addEventListener("pointerdown", function (e) {
      if (!e.target.closest("a, button, input, textarea, select")) { refocus(); }
    });
    cardInput.focus();
    // The card screen after a sign-out: no "?keluar=1" left in the address bar.
    if (window.location.search) { window.history.replaceState(null, "", window.location.pathname); }
  }

  /* PIN pad: digits into the PIN field of the same form. */
  document.querySelectorAll("[data-pinpad]").forEach(function (form) {
    var field = form.querySelector(".k-pin-input");
    form.querySelectorAll("[data-key]").forEach(function (key) {
      key.addEventListener("click", function () {
        var k = key.getAttribute("data-key");
        if (k === "del") { field.value = field.value.slice(0, -1); }
        else if (field.value.length < (field.maxLength > 0 ? field.maxLength : 12)) { field.value += k; }
      });
    });
  });

  /* On-screen keyboard for every field marked data-osk. */
  var ROWS = ["1234567890", "QWERTYUIOP", "ASDFGHJKL-", "ZXCVBNM.,?"];
  function buildKeyboard(box, field) {
    var add = function (label, value, cls) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      if (cls) { b.className = cls; }
      b.addEventListener("click", function () {
        if (value === "\b") { field.value = field.value.slice(0, -1); }
        else if (value === "\x1b") { box.hidden = true; return; }
        else if (field.maxLength <= 0 || field.value.length < field.maxLength) {
          var lower = field.tagName === "TEXTAREA" && field.value.length > 0 && !/[.?!]\s*$/.test(field.value);
          field.value += lower ? value.toLowerCase() : value;
        }
        field.dispatchEvent(new Event("input", { bubbles: true }));
      });
      box.appendChild(b);
    };
    ROWS.forEach(function (row) { row.split("").forEach(function (c) { add(c, c); }); });
    add("⌫", "\b", "k-osk-wide");
    add("␣", " ", "k-osk-space");
    add("✓", "\x1b", "k-osk-wide");
  }
  document.querySelectorAll("[data-osk]").forEach(function (field) {
    var box = document.querySelector('[data-osk-for="' + field.id + '"]');
    if (!box) { return; }
    buildKeyboard(box, field);
    field.setAttribute("inputmode", "none");
    field.addEventListener("focus", function () {
      document.querySelectorAll(".k-osk").forEach(function (other) { if (other !== box) { other.hidden = true; } });
      box.hidden = false;
    });
  });

  /* Read aloud: the server made the audio of this screen's main text. */
  var playing = null;
  document.querySelectorAll("[data-speak]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (playing) { playing.pause(); playing = null; return; }
      playing = new Audio(button.getAttribute("data-speak"));
      playing.addEventListener("ended", function () { playing = null; });
      playing.play().catch(function () { playing = null; });
    });
  });

  /* Idle timer: after N seconds without a touch the person is signed out; the last 10
     seconds are counted down on screen. Touches are reported to the server (at most every
     10 s), which keeps its own, slightly longer, limit. */
  var idle = parseInt(body.getAttribute("data-idle-seconds") || "0", 10);
  if (idle > 0) {
    var pingUrl = body.getAttribute("data-ping-url");
    var panel = document.getElementById("k-countdown");
    var counter = panel ? panel.querySelector("[data-countdown]") : null;
    var warnAt = Math.max(1, idle - 10);
    var last = Date.now();
    var lastPing = Date.now();
    var done = false;

    var signOut = function () {
      if (done) { return; }
      done = true;
      var form = document.getElementById("k-signout");
      var go = function () { window.location.replace(home); };
      if (!form) { go(); return; }
      fetch(form.action, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken() },
        body: new FormData(form),
        credentials: "same-origin",
        redirect: "manual"
      }).then(go, go);
    };
    var touched = function () {
      if (done) { return; }
      last = Date.now();
      if (panel) { panel.hidden = true; }
      if (pingUrl && Date.now() - lastPing > 10000) {
        lastPing = Date.now();
        fetch(pingUrl, { method: "POST", headers: { "X-CSRFToken": csrfToken() }, credentials: "same-origin" })
          .then(function (r) { return r.json(); })
          .then(function (data) { if (data && data.signed_in === false && body.hasAttribute("data-signed-in")) { signOut(); } })
          .catch(function () { /* offline for a moment: the next touch tries again */ });
      }
    };
    ["pointerdown", "keydown", "touchstart", "wheel"].forEach(function (name) {
      document.addEventListener(name, touched, { passive: true });
    });
    if (panel) {
      panel.querySelector("[data-stay]").addEventListener("click", touched);
    }
    window.setInterval(function () {
      var quiet = (Date.now() - last) / 1000;
      if (quiet >= idle) { signOut(); return; }
      if (quiet >= warnAt && panel) {
        panel.hidden = false;
        if (counter) { counter.textContent = String(Math.ceil(idle - quiet)); }
      }
    }, 250);

    /* The big button signs out the same way: the card screen replaces the history entry. */
    var outForm = document.getElementById("k-signout");
    if (outForm) {
      outForm.addEventListener("submit", function (e) { e.preventDefault(); signOut(); });
    }
  }
})();
