// An import's page while the file is checked or written: reload every few seconds to show
// the progress. Without script the page has a link to reload it; no <meta refresh>, which
// moves the page under a screen reader without warning.
(function () {
  var marker = document.querySelector("[data-refresh]");
  if (!marker) { return; }
  var seconds = parseInt(marker.getAttribute("data-refresh"), 10) || 3;
  window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
})();
