// A file job's page (an export) while it runs: ask the server for the progress every two
// seconds and move the bar, without reloading; when the job is over, reload once to show
// the download link or the reason it failed. Without script the page has a link to reload
// it; no <meta refresh>, which moves the page under a screen reader without warning.
(function () {
  var bar = document.querySelector("progress[data-status]");
  if (!bar || !window.fetch) { return; }
  var url = bar.getAttribute("data-status");
  var text = document.getElementById("job-progress-text");
  function poll() {
    window.fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (res) {
        if (!res.ok) { throw new Error(String(res.status)); }
        return res.json();
      })
      .then(function (s) {
        if (!s.running) { window.location.reload(); return; }
        if (s.total > 0) {
          bar.max = s.total;
          bar.value = s.done;
          bar.textContent = s.percent + "%";
        }
        if (text && text.textContent !== s.text) { text.textContent = s.text; }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, 2000);
})();
