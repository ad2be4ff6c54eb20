// Small behaviours without inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("click", function (event) {
  var toggle = event.target.closest("[data-toggle-sidebar]");
  if (toggle) {
    document.getElementById("sidebar").classList.toggle("open");
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
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
