// The admin's autocomplete (Select2), made to keep two promises:
// - Each combobox has an accessible name. Select2 names it after the chosen row only, so an
//   empty one has none, and its inner "textbox" and search fields none at all: they take the
//   name of their select (its <label>, or the aria-label a tabular row's select carries), for
//   rows added later and search fields drawn again too.
// - Enter picks the row that is highlighted for what is typed, never another one. Select2 waits
//   a moment before it asks the server and keeps showing the rows of the previous search until
//   the answer comes: an Enter in between would pick a row of that older list. Until the rows
//   shown are the answer to what is typed, Enter does nothing.
"use strict";
(function () {
  function nameOf(select) {
    if (select.getAttribute("aria-label")) {
      return select.getAttribute("aria-label");
    }
    const label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  // The select a search field searches: a multiple select's field sits in its selection; the
  // open dropdown's field names its results list "select2-<select id>-results".
  function selectOfSearch(field) {
    const container = field.closest(".select2");
    if (container && container.previousElementSibling) {
      return container.previousElementSibling;
    }
    const match = /^select2-(.+)-results$/.exec(field.getAttribute("aria-controls") || "");
    return match ? document.getElementById(match[1]) : null;
  }

  // A multiple select's chosen rows are a <ul> that Select2 also puts its "clear" button in: no
  // list to a screen reader (the chosen rows stay plain text), so no list with a stray child.
  function unlistChoices(root) {
    for (const list of root.querySelectorAll(".select2-selection--multiple > ul")) {
      list.setAttribute("role", "none");
      for (const item of list.children) {
        if (item.tagName === "LI") {
          item.setAttribute("role", "none");
        }
      }
    }
  }

  function nameAll(root) {
    unlistChoices(root);
    for (const field of root.querySelectorAll(".select2-search__field:not([aria-label])")) {
      const select = selectOfSearch(field);
      const name = select && select.tagName === "SELECT" ? nameOf(select) : "";
      if (name) {
        field.setAttribute("aria-label", name);
      }
    }
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

  // The search the rows on screen answer, and how many searches are still on their way.
  let answered = null;
  let waiting = 0;

  function termOf(url) {
    try {
      return new URL(url, window.location.href).searchParams.get("term") || "";
    } catch (error) {
      return null;
    }
  }

  function watchSearches($) {
    const isSearch = (settings) => settings && /\/autocomplete\/\?/.test(settings.url || "");
    $(document).on("ajaxSend", function (event, xhr, settings) {
      if (isSearch(settings)) {
        waiting += 1;
      }
    });
    $(document).on("ajaxComplete", function (event, xhr, settings) {
      if (isSearch(settings)) {
        waiting = Math.max(0, waiting - 1);
        answered = termOf(settings.url);
      }
    });
  }

  document.addEventListener(
    "keydown",
    function (event) {
      const field = event.target;
      const isSearchField = field.classList && field.classList.contains("select2-search__field");
      if (event.key !== "Enter" || !isSearchField) {
        return;
      }
      if (waiting > 0 || field.value !== answered) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true,
  );

  document.addEventListener("DOMContentLoaded", function () {
    if (window.django && window.django.jQuery) {
      watchSearches(window.django.jQuery);
    }
    nameAll(document);
    new MutationObserver(function () {
      nameAll(document);
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
