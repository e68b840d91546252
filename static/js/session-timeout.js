/*
 * Warns before the idle timeout ends a session (SessionTimeoutMiddleware on the server decides;
 * this only tells the person in time, WCAG 2.2.1) and offers "Sitzung verlängern".
 *
 * Page loads renew the session on the server (at most once a minute, see security.py). Tabs
 * share the time of the last one through localStorage, so a page left open in one tab does not
 * warn while the person works in another.
 */
(function () {
  "use strict";

  var notice = document.getElementById("sitzungshinweis");
  if (!notice) {
    return;
  }
  // The server stamped the request a moment before this page loaded: end a little early here.
  var idleMs = Number(notice.dataset.idleSeconds) * 1000 - 5000;
  var warningMs = Number(notice.dataset.warningSeconds) * 1000;
  // The server stamps activity at most once a minute, so its clock may have started up to a
  // minute before this page: count from its stamp (the time it says is left), not from now.
  var leftSeconds = Number(notice.dataset.idleLeftSeconds);
  var stampedAgoMs = isNaN(leftSeconds)
    ? 0
    : Math.max(0, Number(notice.dataset.idleSeconds) * 1000 - leftSeconds * 1000);
  var form = notice.querySelector("form");
  var STORAGE_KEY = "sozialraum.sitzung.letzteAktivitaet";
  var lastActivity = Date.now() - stampedAgoMs;
  var timer = null;

  function shareActivity() {
    try {
      localStorage.setItem(STORAGE_KEY, String(lastActivity));
    } catch (error) {
      // Storage may be disabled; each tab then keeps its own time.
    }
  }

  function show(state) {
    notice.querySelectorAll("[data-state]").forEach(function (element) {
      element.hidden = element.dataset.state !== state;
    });
    notice.hidden = state === null;
  }

  function endTime() {
    return new Date(lastActivity + idleMs).toLocaleTimeString("de-DE", {
      hour: "2-digit",
      minute: "2-digit",
    });
  }

  function check() {
    var left = lastActivity + idleMs - Date.now();
    if (left <= 0) {
      expired();
      return;
    }
    if (left <= warningMs) {
      if (notice.hidden || notice.querySelector('p[data-state="warning"]').hidden) {
        notice.querySelector("[data-session-end]").textContent = endTime();
        show("warning");
      }
      schedule(left);
      return;
    }
    schedule(left - warningMs);
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    // Re-check at least every 30 s: timers pause while a laptop sleeps.
    timer = window.setTimeout(check, Math.max(1000, Math.min(delay, 30000)));
  }

  function expired() {
    var link = notice.querySelector("[data-login-link]");
    link.href = notice.dataset.loginUrl + "?next=" + encodeURIComponent(location.pathname);
    show("expired");
  }

  function renewed() {
    lastActivity = Date.now();
    shareActivity();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault(); // stay on the page: nothing typed in it is lost
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (!response.ok || response.redirected || !json) {
          throw new Error("session ended");
        }
        renewed();
        show("extended");
        window.setTimeout(function () {
          if (!notice.querySelector('p[data-state="extended"]').hidden) {
            show(null);
          }
        }, 5000);
        schedule(idleMs - warningMs);
      })
      .catch(expired);
  });

  window.addEventListener("storage", function (event) {
    if (event.key === STORAGE_KEY && Number(event.newValue) > lastActivity) {
      lastActivity = Number(event.newValue);
      if (notice.querySelector('p[data-state="expired"]').hidden) {
        show(null);
      }
      check();
    }
  });

  shareActivity();
  check();
})();
