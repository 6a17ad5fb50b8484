// omsd console: the operator's time zone at login, and live updates.
// Each event of omsd's stream (Server-Sent Events on /events) fetches the
// page again and swaps its live part (#live) with htmx; bursts of events
// are coalesced. Each (re)connection fetches the page once too, for what
// changed while the stream was not there.
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
  // typing reports whether the operator is in, or has typed into, a field
  // that a refresh would replace.
  function typing() {
    var fields = document.querySelectorAll("#live input, #live select, #live textarea, #live-more input, #live-more select, #live-more textarea");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f === document.activeElement || (f.type !== "hidden" && f.value !== f.defaultValue)) {
        return true;
      }
    }
    return false;
  }
  function refresh() {
    pending = false;
    if (!document.getElementById("live") || !window.htmx) {
      return;
    }
    if (typing()) { // not under the operator's fingers: try again later
      pending = true;
      setTimeout(refresh, 1000);
      return;
    }
    htmx.ajax("GET", location.pathname + location.search, {target: "#live", select: "#live", selectOOB: "#live-more", swap: "outerHTML"});
  }
  // A refresh that changes nothing swaps nothing: the elements under the
  // operator's pointer stay as they are.
  document.body.addEventListener("htmx:beforeSwap", function (e) {
    try {
      var doc = new DOMParser().parseFromString(e.detail.serverResponse, "text/html");
      var same = ["live", "live-more"].every(function (id) {
        var a = document.getElementById(id), b = doc.getElementById(id);
        return (!a && !b) || (a && b && a.innerHTML === b.innerHTML);
      });
      if (same) {
        e.detail.shouldSwap = false;
      }
    } catch (err) { /* swap as usual */ }
  });
  var es = new EventSource(src);
  es.addEventListener("open", function () {
    if (status) { status.textContent = "Live" + (last ? ": " + last : ": waiting for events"); status.className = "livestatus on"; }
    refresh(); // what changed before the stream (re)connected
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
