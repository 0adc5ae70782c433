// whyno: small keyboard helpers, no framework and nothing fetched from elsewhere.
"use strict";
document.addEventListener("keydown", function (event) {
  // Ctrl+Enter (or Cmd+Enter) saves the form you are typing in.
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    var field = document.activeElement;
    var form = field && field.form;
    if (form) {
      event.preventDefault();
      form.requestSubmit();
    }
  }
  // "n" opens the log form, "/" jumps to the first filter, when not typing.
  var typing = /^(INPUT|TEXTAREA|SELECT)$/.test((document.activeElement || {}).tagName || "");
  if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
    if (event.key === "n") {
      window.location.href = "/log";
    } else if (event.key === "/") {
      var first = document.querySelector("form.filters input");
      if (first) {
        event.preventDefault();
        first.focus();
      }
    }
  }
});
