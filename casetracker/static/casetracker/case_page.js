// The case page: warn before a workflow step leaves unsaved edits behind, bring the error
// summary into view after a refused save, and offer every relative added on the page (before
// it is saved) as testifier and consent giver, by the name typed in for them.
"use strict";
(function () {
  // The relative rows not saved yet: their row number in the formset and the name typed in.
  // A saved row's name inputs are hidden; a row marked for deletion is left out.
  function newRelatives(form) {
    const rows = [];
    for (const input of form.querySelectorAll('input[name^="relationships-"][name$="-new_name"]')) {
      const match = /^relationships-(\d+)-new_name$/.exec(input.name);
      if (!match || input.type === "hidden") {
        continue;
      }
      const deleted = form.querySelector('input[name="relationships-' + match[1] + '-DELETE"]');
      if (deleted && deleted.checked) {
        continue;
      }
      rows.push({ index: Number(match[1]), name: input.value.trim() });
    }
    return rows;
  }

  function label(select, row) {
    if (row.name) {
      return select.dataset.namedRelative.replace("%(name)s", row.name);
    }
    return select.dataset.newRelative.replace("%(row)s", String(row.index + 1));
  }

  function offerNewRelatives(form) {
    const rows = newRelatives(form);
    for (const select of form.querySelectorAll("select[data-new-relative]")) {
      const chosen = select.value;
      for (const option of Array.from(select.options)) {
        if (option.value.startsWith("new-")) {
          option.remove();
        }
      }
      for (const row of rows) {
        select.add(new Option(label(select, row), "new-" + row.index));
      }
      // A choice that points at a row no longer there is no choice.
      select.value = Array.from(select.options).some((o) => o.value === chosen) ? chosen : "";
    }
  }

  // On a phone a tabular inline's rows stack, one cell under the other (admin.css): each cell
  // shows its column's heading, which it takes from here.
  function labelCells(form) {
    for (const table of form.querySelectorAll(".inline-group .tabular table")) {
      const headings = Array.from(table.querySelectorAll("thead th"), (th) => th.textContent.trim());
      for (const row of table.querySelectorAll("tbody tr")) {
        Array.from(row.children).forEach(function (cell, column) {
          if (cell.tagName === "TD" && headings[column] && !cell.dataset.label) {
            cell.dataset.label = headings[column];
          }
        });
      }
    }
  }

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
    labelCells(form);
    document.addEventListener("formset:added", () => labelCells(form));
    const offer = () => offerNewRelatives(form);
    offer();
    form.addEventListener("input", function (event) {
      if (/^relationships-\d+-new_name$/.test(event.target.name || "")) {
        offer();
      }
    });
    form.addEventListener("change", function (event) {
      if (/^relationships-\d+-DELETE$/.test(event.target.name || "")) {
        offer();
      }
    });
    // Django's inlines.js says when a row is added or removed (and numbers the rows anew).
    document.addEventListener("formset:added", offer);
    document.addEventListener("formset:removed", offer);
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
