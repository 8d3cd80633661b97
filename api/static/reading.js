// Show how the matcher reads a field while one types: fetch /employer/reading?kind=…&text=… after a pause.
(function () {
  "use strict";
  document.querySelectorAll("input[data-reading]").forEach(function (field) {
    var out = document.getElementById("reading-" + field.name), timer = null, asked = 0;
    function ask() {
      var text = field.value.trim(), mine = ++asked;
      if (!text) { out.textContent = ""; return; }
      fetch("/employer/reading?kind=" + encodeURIComponent(field.dataset.reading) + "&text=" + encodeURIComponent(text),
            { credentials: "same-origin" })
        .then(function (answer) { return answer.ok ? answer.text() : ""; })
        .then(function (words) { if (mine === asked) { out.textContent = words ? "系统理解为：" + words : ""; } })
        .catch(function () { /* the next keystroke asks again */ });
    }
    field.addEventListener("input", function () { window.clearTimeout(timer); timer = window.setTimeout(ask, 250); });
    ask();
  });
}());
