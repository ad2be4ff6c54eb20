// The indicator form: show the bounds only for linear scoring, the thresholds only for
// thresholds, the metric only for computed values, the unit only for entered ones. No inline
// scripts (CSP). Without JavaScript every field shows, and the form still works.
(function () {
  function sync(form) {
    var rule = form.querySelector("[data-indicator-rule]");
    var source = form.querySelector("input[name=source_kind]:checked");
    form.querySelectorAll("[data-rule-only]").forEach(function (el) {
      el.classList.toggle("d-none", !rule || rule.value !== el.getAttribute("data-rule-only"));
    });
    form.querySelectorAll("[data-source-only]").forEach(function (el) {
      el.classList.toggle("d-none", !source || source.value !== el.getAttribute("data-source-only"));
    });
  }

  document.addEventListener("change", function (event) {
    var form = event.target.closest("[data-indicator-form]");
    if (form) { sync(form); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-indicator-form]").forEach(sync);
  });
})();
