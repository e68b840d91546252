// Keeps the status card of a report page up to date while the report is being made: asks the
// JSON status endpoint every few seconds and reloads the page once the report is finished (to
// show the downloads or the retry button). No inline script: the page's CSP forbids them.
(function () {
  "use strict";
  var card = document.querySelector("[data-report-status]");
  if (!card || card.getAttribute("data-finished") === "true") {
    return;
  }
  var url = card.getAttribute("data-report-status");
  var delay = 2000;

  function field(name) {
    return card.querySelector('[data-field="' + name + '"]');
  }

  function show(status) {
    field("state_label").textContent = status.state_label;
    field("progress").textContent = String(status.progress);
    var bar = field("progress_bar");
    bar.value = status.progress;
    bar.textContent = status.progress + " %";
    field("step").textContent = status.step || "";
    field("waits_for_broker").classList.toggle("d-none", !status.waits_for_broker);
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (status.finished) {
          window.location.reload();
          return;
        }
        delay = 2000;
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        // The server may restart or the network drop for a moment: ask again, less often.
        delay = Math.min(delay * 2, 30000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
