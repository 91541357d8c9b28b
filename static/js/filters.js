// On a wide screen the search filters stand open in their own column beside the results;
// on a phone they stay folded under "Saring hasil" so the results come first. Without
// script they are folded unless a filter is set, and open with a tap.
(function () {
  if (!window.matchMedia || !window.matchMedia("(min-width: 64rem)").matches) return;
  document.querySelectorAll("details.filters").forEach(function (d) { d.open = true; });
})();
