// Small behaviours without inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("click", function (event) {
  var toggle = event.target.closest("[data-toggle-sidebar]");
  if (toggle) {
    document.getElementById("sidebar").classList.toggle("open");
    return;
  }
  // Phones: a tap beside the open menu closes it.
  var sidebar = document.getElementById("sidebar");
  if (sidebar && sidebar.classList.contains("open") && !event.target.closest("#sidebar")) {
    sidebar.classList.remove("open");
    event.preventDefault();
    return;
  }
  var filters = event.target.closest("[data-toggle-filters]");
  if (filters) {
    var open = filters.closest(".filters").classList.toggle("show-more");
    filters.setAttribute("aria-expanded", String(open));
    return;
  }
  var dismiss = event.target.closest("[data-dismiss]");
  if (dismiss) {
    dismiss.closest(dismiss.getAttribute("data-dismiss")).remove();
    return;
  }
  var copy = event.target.closest("[data-copy]");
  if (copy && navigator.clipboard) {
    navigator.clipboard.writeText(document.querySelector(copy.getAttribute("data-copy")).textContent.trim());
    copy.textContent = "已复制";
  }
});
document.addEventListener("submit", function (event) {
  var form = event.target;
  var message = form.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
    return;
  }
  // Long imports: while the form's request runs, ask the server how far it has got.
  var progressUrl = form.getAttribute("data-progress");
  var box = form.querySelector("[data-progress-text]");
  if (progressUrl && box) {
    box.classList.remove("d-none");
    box.textContent = "正在上传……";
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    window.setInterval(function () {
      fetch(progressUrl, {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (t) { if (t) { box.textContent = t; } });
    }, 1000);
  }
});
// Phones: a list's secondary filters fold behind one button, unfolded while one of them is set.
document.querySelectorAll(".filters [data-toggle-filters]").forEach(function (button) {
  var box = button.closest(".filters");
  var fields = box.querySelectorAll(".filter-more select, .filter-more input:not([type=checkbox])");
  var set = Array.prototype.some.call(fields, function (field) { return field.value; });
  box.classList.add("collapsible");
  box.classList.toggle("show-more", set);
  button.setAttribute("aria-expanded", String(set));
});
