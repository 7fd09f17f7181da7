// The public list's filter form sends only the fields that are set (not empty, not at their
// default), so that a shared URL holds the filters in use and nothing else. Without this
// script the server redirects a URL with empty parameters to the same URL without them (and
// without those at their default): the result is the same either way.
"use strict";
(function () {
  const MARK = "data-left-out";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-send-set-only]").forEach(function (form) {
      form.addEventListener("submit", function () {
        form.querySelectorAll("input[name], select[name]").forEach(function (field) {
          const checkable = field.type === "checkbox" || field.type === "radio";
          const needless = field.value === "" || field.value === field.dataset.default;
          if (!checkable && !field.disabled && needless) {
            field.disabled = true;
            field.setAttribute(MARK, "");
          }
        });
      });
    });
  });
  // Coming back to the page from the browser's history: the fields work again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("[" + MARK + "]").forEach(function (field) {
      field.disabled = false;
      field.removeAttribute(MARK);
    });
  });
})();
