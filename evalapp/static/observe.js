/* The questionnaire page: show or hide items by their conditions, keep "not applicable" /
   "don't know" exclusive, and save the draft on the server as the observer goes.
   Without this script the page still works: every item shows, and the buttons post. */
(function () {
  "use strict";
  var form = document.getElementById("questionnaire");
  if (!form) { return; }
  document.documentElement.classList.add("js");
  var FLAGS = ["-na", "-dk"];
  var status = document.getElementById("autosave-status");

  function itemBox(id) { return form.querySelector('[data-item="' + id + '"]'); }

  function numberString(text) {
    var value = parseFloat(String(text).replace(/[,，]/g, ".").trim());
    return isFinite(value) ? String(value) : null;
  }

  /* The answer of an item as the strings its conditions compare against. */
  function answerStrings(id) {
    var box = itemBox(id);
    if (!box || box.hidden) { return []; }
    var found = [];
    box.querySelectorAll("input:checked").forEach(function (input) {
      if (FLAGS.indexOf(input.value) < 0 && input.name === "q_" + id) { found.push(input.value); }
    });
    var typed = box.querySelector('input[type="text"]');
    if (typed && typed.value.trim() && !box.querySelector('input[name="f_' + id + '"]:checked')) {
      var number = numberString(typed.value);
      if (number !== null) { found.push(number); }
    }
    return found;
  }

  function applyConditions() {
    form.querySelectorAll("[data-relevant-item]").forEach(function (box) {
      var wanted = JSON.parse(box.getAttribute("data-relevant-values"));
      var given = answerStrings(box.getAttribute("data-relevant-item"));
      var shown = given.some(function (value) { return wanted.indexOf(value) >= 0; });
      box.hidden = !shown;
      box.querySelectorAll("input, textarea").forEach(function (input) { input.disabled = !shown; });
    });
    form.querySelectorAll("section.section").forEach(function (section) {
      var visible = section.querySelector("fieldset.q:not([hidden])");
      section.hidden = !visible;
    });
  }

  /* A flag clears the answer, an answer clears the flags. */
  function keepFlagsExclusive(input) {
    var box = input.closest("[data-item]");
    if (!box) { return; }
    var isFlag = FLAGS.indexOf(input.value) >= 0 && (input.type === "checkbox");
    if (input.type === "checkbox" && input.checked) {
      box.querySelectorAll('input[type="checkbox"]').forEach(function (other) {
        var otherFlag = FLAGS.indexOf(other.value) >= 0;
        if (other !== input && (isFlag || otherFlag)) { other.checked = false; }
      });
      if (isFlag) { box.querySelectorAll("textarea, input[type=text], input:not([type])").forEach(function (t) { t.value = ""; }); }
    } else if (input.type !== "checkbox" && input.type !== "radio" && input.value) {
      box.querySelectorAll('input[type="checkbox"]').forEach(function (flag) {
        if (FLAGS.indexOf(flag.value) >= 0) { flag.checked = false; }
      });
    }
  }

  var timer = null;
  var pending = false;

  function show(key) { if (status) { status.textContent = form.getAttribute("data-" + key); } }

  function payload() {
    var data = new FormData(form);
    data.delete("action");
    return data;
  }

  function save() {
    timer = null;
    pending = false;
    show("saving");
    fetch(form.getAttribute("data-autosave"), {
      method: "POST", body: payload(), credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (response.ok) {
        show("saved");
        status.textContent += " " + new Date().toTimeString().slice(0, 5);
      } else { show("failed"); }
    }).catch(function () { pending = true; show("offline"); });
  }

  function scheduleSave() {
    pending = true;
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 1200);
  }

  form.addEventListener("change", function (event) {
    keepFlagsExclusive(event.target);
    applyConditions();
    scheduleSave();
  });
  form.addEventListener("input", function (event) {
    if (event.target.matches("textarea, input[type=text], input:not([type])")) {
      keepFlagsExclusive(event.target);
      applyConditions();
      scheduleSave();
    }
  });
  form.addEventListener("submit", function () { if (timer) { clearTimeout(timer); timer = null; } });
  window.addEventListener("online", function () { if (pending) { save(); } });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && pending && navigator.sendBeacon) {
      navigator.sendBeacon(form.getAttribute("data-autosave"), payload());
      pending = false;
    }
  });
  applyConditions();
})();
