// The error summary's links move the focus to their field, and show the field's label and
// message above it rather than putting the field at the very top of the screen.
(function () {
  var summary = document.getElementById("error-summary");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    // A group of radios or boxes: its first one.
    if (field.tagName === "FIELDSET") field = field.querySelector("input, select, textarea") || field;
    event.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']") || field.closest("label") || field;
    label.scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
