// The card's print button: shown only with script; without it the page says to use the
// browser's own Print command.
(function () {
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
