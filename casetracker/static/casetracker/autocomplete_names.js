// Select2 (the admin's autocomplete) names its combobox after the chosen row only: an empty
// one has no accessible name, and its inner "textbox" none at all. Give each the name of its
// select (its <label>, or the aria-label a tabular row's select carries), for rows added later
// too.
"use strict";
(function () {
  function nameOf(select) {
    if (select.getAttribute("aria-label")) {
      return select.getAttribute("aria-label");
    }
    const label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function nameAll(root) {
    const boxes = root.querySelectorAll(".select2-selection[role=combobox]:not([data-named])");
    for (const box of boxes) {
      const container = box.closest(".select2");
      const select = container && container.previousElementSibling;
      if (!select || select.tagName !== "SELECT") {
        continue;
      }
      const name = nameOf(select);
      if (!name) {
        continue;
      }
      box.setAttribute("data-named", "");
      box.removeAttribute("aria-labelledby");
      box.setAttribute("aria-label", name);
      const rendered = box.querySelector(".select2-selection__rendered[role=textbox]");
      if (rendered) {
        // The chosen row is the combobox's value, not a field of its own.
        rendered.removeAttribute("role");
        rendered.removeAttribute("aria-readonly");
      }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameAll(document);
    new MutationObserver(function () {
      nameAll(document);
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
