// The annual summary pages, without inline scripts (the Content-Security-Policy forbids them).
(function () {
  var lastField = null;
  document.addEventListener("focusin", function (event) {
    if (event.target.matches("[data-wording] textarea, [data-wording] input[type=text]")) {
      lastField = event.target;
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) {
      event.target.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
      return;
    }
    // A placeholder from the side list goes where the cursor was in the last edited paragraph.
    var insert = event.target.closest("[data-insert]");
    if (!insert) { return; }
    var text = insert.getAttribute("data-insert");
    if (!lastField) {
      if (navigator.clipboard) { navigator.clipboard.writeText(text); }
      insert.setAttribute("title", "已复制，请粘贴到段落中");
      return;
    }
    var start = lastField.selectionStart, end = lastField.selectionEnd;
    lastField.value = lastField.value.slice(0, start) + text + lastField.value.slice(end);
    lastField.focus();
    lastField.selectionStart = lastField.selectionEnd = start + text.length;
  });
})();
