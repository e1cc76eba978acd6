/* csto's own script, beside htmx: drafts that survive a reload and a lost connection, and the
   print button. A field marked data-draft="key" is saved as it is typed: in this browser at
   once (localStorage), and on the server 400 ms after the last key (POST /exercises/{id}/drafts/key).
   The page comes back with the server's copy; where that is empty and the browser kept one (typed
   while the connection was down), the browser's copy is put back and sent again. */
(function () {
  "use strict";
  var body = document.body;
  var exercise = body.dataset.exercise;
  if (!exercise) { return; }
  var timers = {};

  function storeKey(key) {
    return "csto:" + exercise + ":" + (body.dataset.viewer || "") + ":" + key;
  }

  function send(area) {
    var data = new URLSearchParams();
    data.set("text", area.value);
    data.set("csrf_token", body.dataset.csrf || "");
    fetch("/exercises/" + exercise + "/drafts/" + area.dataset.draft, {
      method: "POST", body: data, credentials: "same-origin"
    }).then(function (r) {
      area.dataset.saved = r.ok ? "server" : "browser";
    }).catch(function () {
      area.dataset.saved = "browser";
    });
  }

  function typed(area) {
    var key = area.dataset.draft;
    try { localStorage.setItem(storeKey(key), area.value); } catch (e) { /* private mode */ }
    area.dataset.saved = "browser";
    clearTimeout(timers[key]);
    timers[key] = setTimeout(function () { send(area); }, 400);
  }

  function restore(root) {
    root.querySelectorAll("[data-draft]").forEach(function (area) {
      var kept = null;
      try { kept = localStorage.getItem(storeKey(area.dataset.draft)); } catch (e) { kept = null; }
      if (kept && area.value === "") {
        area.value = kept;
        send(area);
      }
    });
  }

  document.addEventListener("input", function (e) {
    var t = e.target;
    if (t && t.matches && t.matches("[data-draft]")) { typed(t); }
  });

  document.addEventListener("htmx:afterRequest", function (e) {
    var form = e.detail.elt;
    if (!e.detail.successful || !form || form.tagName !== "FORM" || form.method === "get") { return; }
    // only a form that writes something new (it keeps a draft) starts afresh; a form that edits
    // what exists (a situation report, an inject) keeps what it shows
    if (!form.querySelector("[data-draft]")) { return; }
    form.querySelectorAll("[data-draft]").forEach(function (area) {
      clearTimeout(timers[area.dataset.draft]);
      try { localStorage.removeItem(storeKey(area.dataset.draft)); } catch (err) { /* ignore */ }
    });
    form.reset();
    form.querySelectorAll("[data-draft]").forEach(function (area) { area.value = ""; });
  });

  // A notice that a command went through fades after a while; a refusal stays until the next one.
  document.addEventListener("htmx:afterSwap", function (e) {
    var target = e.detail.target;
    if (!target || target.id !== "flash") { return; }
    var shown = target.innerHTML;
    if (target.querySelector(".flash-ok")) {
      setTimeout(function () { if (target.innerHTML === shown) { target.innerHTML = ""; } }, 8000);
    }
  });

  document.addEventListener("click", function (e) {
    var t = e.target;
    if (t && t.matches && t.matches("[data-print]")) { window.print(); }
  });

  restore(document);
}());
