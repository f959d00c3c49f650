// The board link carries its token in the fragment, which no server,
// proxy or Referer header ever sees. This script takes it out of the
// address bar and history, trades it once for an HttpOnly cookie, and
// goes on to the board (or to the page saying why the link is refused).
(function () {
  "use strict";
  var token = window.location.hash.replace(/^#/, "");
  window.history.replaceState(null, "", window.location.pathname);
  if (!token) {
    window.location.replace("/web/refused?why=none");
    return;
  }
  fetch("/web/session", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "text/plain", "X-Collabot-Board": "1" },
    body: token
  }).then(function (r) { return r.json(); })
    .then(function (j) { window.location.replace(j.next || "/web/refused?why=invalid"); })
    .catch(function () { window.location.replace("/web/refused?why=invalid"); });
})();
