// The activity and output forms: filter long checkbox lists, list what is chosen, and show the
// media-only fields (channel, reads) only for new-media posts. No inline scripts (CSP).
(function () {
  function summarize(pick) {
    var box = pick.querySelector("[data-pick-summary]");
    if (!box) { return; }
    box.textContent = "";
    pick.querySelectorAll("input[type=checkbox]:checked").forEach(function (input) {
      var label = pick.querySelector("label[for='" + input.id + "']");
      var badge = document.createElement("span");
      badge.className = "badge text-bg-light border fw-normal me-1";
      badge.textContent = label ? label.textContent : input.value;
      box.appendChild(badge);
    });
  }

  function toggleMedia(select) {
    var isMedia = select.value === select.getAttribute("data-media-kind");
    document.querySelectorAll("[data-media-only]").forEach(function (el) {
      el.classList.toggle("d-none", !isMedia);
    });
  }

  document.addEventListener("input", function (event) {
    var filter = event.target.closest("[data-pick-filter]");
    if (!filter) { return; }
    var words = filter.value.trim().toLowerCase();
    filter.closest("[data-pick]").querySelectorAll("[data-pick-item]").forEach(function (item) {
      var hit = !words || item.textContent.toLowerCase().indexOf(words) >= 0;
      item.classList.toggle("d-none", !hit);
    });
  });

  document.addEventListener("change", function (event) {
    var pick = event.target.closest("[data-pick]");
    if (pick) { summarize(pick); }
    if (event.target.matches("[data-media-kind]")) { toggleMedia(event.target); }
  });

  // Enter in a filter box narrows the list; it must not submit the whole form.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.closest("[data-pick-filter]")) {
      event.preventDefault();
    }
  });

  function start() {
    document.querySelectorAll("[data-media-kind]").forEach(toggleMedia);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
