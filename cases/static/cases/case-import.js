// Shows how far a confirmed import is while its request runs: the page stays in place until
// the server answers, so it polls the progress URL meanwhile. Without JavaScript the form posts
// as usual and the browser's own loading indicator shows.
(function () {
  "use strict";
  var form = document.getElementById("case-import-confirm");
  if (!form) return;
  var box = document.getElementById("case-import-progress");
  var bar = box.querySelector("progress");
  var text = box.querySelector("p");
  var url = form.getAttribute("data-progress-url");
  var submitted = false;

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (state && state.state === "checking") {
          text.textContent = form.getAttribute("data-checking");
        } else if (state && state.total) {
          bar.max = state.total;
          bar.value = state.done;
          text.textContent =
            state.done + " / " + state.total + " " + form.getAttribute("data-writing");
        }
        if (!state || (state.state !== "done" && state.state !== "failed")) {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }

  form.addEventListener("submit", function (event) {
    if (submitted) { event.preventDefault(); return; }
    submitted = true;
    box.hidden = false;
    form.querySelector("input[type=submit]").disabled = true;
    window.setTimeout(poll, 500);
  });
})();
