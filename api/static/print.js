// Buttons marked data-print open the browser's print dialog (no inline handlers in the pages).
document.querySelectorAll("[data-print]").forEach(function (button) {
  "use strict";
  button.addEventListener("click", function () { window.print(); });
});
