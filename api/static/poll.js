// Replace a [data-poll] element's content with its URL's HTML every second until the run is done or failed.
(function () {
  "use strict";
  document.querySelectorAll("[data-poll]").forEach(function (box) {
    function finished() {
      var state = box.querySelector("[data-status]");
      return state && (state.dataset.status === "done" || state.dataset.status === "failed");
    }
    function poll() {
      if (finished()) { return; }
      fetch(box.dataset.poll, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (answer) { return answer.ok ? answer.text() : Promise.reject(answer.status); })
        .then(function (html) { box.innerHTML = html; })
        .catch(function () { /* a missed poll: the next one tries again */ })
        .then(function () { if (!finished()) { window.setTimeout(poll, 1000); } });
    }
    window.setTimeout(poll, 500);
  });
}());
