// The case page: warn before a workflow step leaves unsaved edits behind, and bring the
// error summary into view after a refused save.
"use strict";
(function () {
  function snapshot(form) {
    const pairs = [];
    for (const [key, value] of new FormData(form).entries()) {
      pairs.push(key + "=" + (typeof value === "string" ? value : value.name));
    }
    return pairs.join("&");
  }
  document.addEventListener("DOMContentLoaded", function () {
    const form = document.getElementById("case_form");
    const summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
    if (!form) {
      return;
    }
    const loaded = snapshot(form);
    const nav = form.querySelector(".workflow");
    if (!nav) {
      return;
    }
    nav.addEventListener("click", function (event) {
      const link = event.target.closest("a.button");
      if (link && snapshot(form) !== loaded && !window.confirm(nav.dataset.unsavedWarning)) {
        event.preventDefault();
      }
    });
  });
})();
