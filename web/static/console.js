// omsd console: the operator's time zone at login, and live updates.
// Each event of omsd's stream (Server-Sent Events on /events) fetches the
// page again and swaps its live part (#live) with htmx; bursts of events
// are coalesced.
(function () {
  "use strict";
  var tz = document.getElementById("tz");
  if (tz && window.Intl) {
    tz.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  }
  var src = document.body.getAttribute("data-live");
  var status = document.getElementById("livestatus");
  if (!src || !window.EventSource) {
    return;
  }
  var pending = false, last = "";
  function refresh() {
    pending = false;
    if (!document.getElementById("live") || !window.htmx) {
      return;
    }
    htmx.ajax("GET", location.pathname + location.search, {target: "#live", select: "#live", selectOOB: "#live-more", swap: "outerHTML"});
  }
  var es = new EventSource(src);
  es.addEventListener("open", function () {
    if (status) { status.textContent = "Live" + (last ? ": " + last : ": waiting for events"); status.className = "livestatus on"; }
  });
  es.addEventListener("error", function () {
    if (status) { status.textContent = "Live updates interrupted; reconnecting… (reload the page if this stays)"; status.className = "livestatus off"; }
  });
  es.addEventListener("omsd", function (e) {
    try { last = JSON.parse(e.data).text; } catch (err) { last = ""; }
    if (status) { status.textContent = "Live: " + last; status.className = "livestatus on"; }
    if (!pending) {
      pending = true;
      setTimeout(refresh, 250);
    }
  });
})();
