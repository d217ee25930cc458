/* The team's pages: keep a round's questionnaire in step with its mode, show only the
   sample fields the chosen way of choosing units needs, and tick a whole page of responses.
   Without this script the pages still work: every field shows, and the server checks. */
(function () {
  "use strict";

  function roundForm(form) {
    var mode = form.querySelector("select[name=mode]");
    var instrument = form.querySelector("select[name=instrument]");
    if (mode && instrument) {
      mode.addEventListener("change", function () {
        var name = mode.options[mode.selectedIndex].text;
        var group = Array.prototype.find.call(instrument.querySelectorAll("optgroup"),
          function (g) { return g.label === name; });
        var chosen = instrument.options[instrument.selectedIndex];
        if (group && group.querySelector("option") && (!chosen || chosen.parentNode !== group)) {
          group.querySelector("option").selected = true;
        }
      });
    }
    var fields = form.querySelector("[data-sample-fields]");
    if (!fields) { return; }
    function box(name) {
      var input = form.querySelector("[name=" + name + "]");
      return input ? input.closest(".field") : null;
    }
    function showSampleFields() {
      var checked = form.querySelector("input[name=method]:checked");
      var method = checked ? checked.value : "all";
      fields.hidden = method === "all";
      var size = box("sample_size"), share = box("sample_share");
      if (size) { size.hidden = method !== "size"; }
      if (share) { share.hidden = method !== "share"; }
    }
    form.querySelectorAll("input[name=method]").forEach(function (input) {
      input.addEventListener("change", showSampleFields);
    });
    showSampleFields();
  }

  function selectAll(toggle) {
    var boxes = document.querySelectorAll("input[name=response]");
    if (!boxes.length) { return; }
    toggle.hidden = false;
    toggle.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = toggle.checked; });
    });
  }

  var form = document.getElementById("round-form");
  if (form) { roundForm(form); }
  var toggle = document.getElementById("select-all");
  if (toggle) { selectAll(toggle); }
}());
