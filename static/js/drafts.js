/*
 * No lost work: what a person types into a form is kept as a draft in this browser until the
 * form is saved, so a session that ends while they type (idle timeout, a closed laptop) costs
 * nothing. After the next login the same form page puts the draft back, says so, and offers
 * "Entwurf verwerfen".
 *
 * Why in the browser and encrypted (see docs/sicherheit.md):
 * - the server cannot take the text once the session has ended, the browser still has it;
 * - offices share PCs, so drafts are encrypted (AES-GCM) with a key the server derives per person
 *   and hands out only in that person's logged-in pages: another person at the same PC cannot
 *   read them, and the browser never gets the key without logging in;
 * - drafts are dropped when the form is saved (the server sets a short cookie on the redirect),
 *   on "Abmelden", on "Entwurf verwerfen" and after DRAFT_MAX_AGE_HOURS;
 * - only forms with free text (a textarea) are kept, never one with a password field, never
 *   hidden, file or password inputs, and never a form marked data-no-draft.
 * Without WebCrypto (a page not served over HTTPS or localhost) no draft is kept at all.
 */
(function () {
  "use strict";

  var config = document.getElementById("entwuerfe");
  if (!config || !window.crypto || !window.crypto.subtle || !window.localStorage) {
    return;
  }
  var PREFIX = "sozialraum.entwurf.";
  var ownerPrefix = PREFIX + config.dataset.owner + ":";
  var maxAgeMs = Number(config.dataset.maxAgeHours) * 3600 * 1000;
  var SKIPPED_TYPES = ["hidden", "password", "file", "submit", "button", "reset", "image"];

  function bytes(base64) {
    return Uint8Array.from(atob(base64), function (c) {
      return c.charCodeAt(0);
    });
  }

  function base64(buffer) {
    return btoa(String.fromCharCode.apply(null, new Uint8Array(buffer)));
  }

  var keyPromise = crypto.subtle.importKey("raw", bytes(config.dataset.key), "AES-GCM", false, [
    "encrypt",
    "decrypt",
  ]);

  function encrypt(value) {
    var iv = crypto.getRandomValues(new Uint8Array(12));
    var plain = new TextEncoder().encode(JSON.stringify(value));
    return keyPromise
      .then(function (key) {
        return crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, key, plain);
      })
      .then(function (cipher) {
        return { iv: base64(iv), data: base64(cipher) };
      });
  }

  function decrypt(stored) {
    return keyPromise
      .then(function (key) {
        return crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes(stored.iv) }, key, bytes(stored.data));
      })
      .then(function (plain) {
        return JSON.parse(new TextDecoder().decode(plain));
      });
  }

  function read(storageKey) {
    try {
      return JSON.parse(localStorage.getItem(storageKey));
    } catch (error) {
      return null;
    }
  }

  function removeWhere(test) {
    for (var i = localStorage.length - 1; i >= 0; i--) {
      var name = localStorage.key(i);
      if (name && name.indexOf(PREFIX) === 0 && test(name)) {
        localStorage.removeItem(name);
      }
    }
  }

  // Drafts of every person on this PC expire; the saved text is no longer needed after that.
  function pruneExpired() {
    var oldest = Date.now() - maxAgeMs;
    removeWhere(function (name) {
      var stored = read(name);
      return !stored || !(stored.savedAt > oldest);
    });
  }

  // The server confirms a saved form with a cookie naming its path: drop that form's draft.
  function dropSaved() {
    var cookieName = config.dataset.savedCookie;
    document.cookie.split("; ").forEach(function (pair) {
      var separator = pair.indexOf("=");
      if (pair.slice(0, separator) !== cookieName) {
        return;
      }
      var path = decodeURIComponent(pair.slice(separator + 1));
      removeWhere(function (name) {
        return name.indexOf(ownerPrefix + path + "#") === 0;
      });
      document.cookie =
        cookieName + "=; Max-Age=0; Path=/; SameSite=Lax" + (location.protocol === "https:" ? "; Secure" : "");
    });
  }

  function keepsDrafts(form) {
    return (
      form.method === "post" &&
      !form.closest("[data-no-draft]") &&
      form.querySelector("textarea") !== null &&
      form.querySelector('input[type="password"]') === null
    );
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      return (
        element.name &&
        !element.disabled &&
        /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName) &&
        SKIPPED_TYPES.indexOf(element.type) === -1
      );
    });
  }

  // name -> list of values (checked boxes, selected options, or the text of each same-named field)
  function snapshot(form) {
    var values = {};
    fields(form).forEach(function (element) {
      var list = (values[element.name] = values[element.name] || []);
      if (element.type === "checkbox" || element.type === "radio") {
        if (element.checked) {
          list.push(element.value);
        }
      } else if (element.tagName === "SELECT") {
        Array.prototype.forEach.call(element.selectedOptions, function (option) {
          list.push(option.value);
        });
      } else {
        list.push(element.value);
      }
    });
    return values;
  }

  function apply(form, values) {
    var used = {};
    fields(form).forEach(function (element) {
      var list = values[element.name];
      if (!list) {
        return;
      }
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = list.indexOf(element.value) !== -1;
      } else if (element.tagName === "SELECT") {
        Array.prototype.forEach.call(element.options, function (option) {
          option.selected = list.indexOf(option.value) !== -1;
        });
      } else {
        var index = used[element.name] || 0;
        if (index < list.length) {
          element.value = list[index];
        }
        used[element.name] = index + 1;
      }
    });
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function notice(templateId) {
    var element = document.getElementById(templateId).content.firstElementChild.cloneNode(true);
    element.tabIndex = -1;
    return element;
  }

  function keep(form, storageKey) {
    var initial = JSON.stringify(snapshot(form));
    var chain = Promise.resolve();
    var pending = 0;

    function save() {
      var values = snapshot(form);
      if (JSON.stringify(values) === initial) {
        localStorage.removeItem(storageKey); // nothing typed, or typed back to the saved state
        return Promise.resolve();
      }
      return encrypt(values).then(function (sealed) {
        sealed.savedAt = Date.now();
        try {
          localStorage.setItem(storageKey, JSON.stringify(sealed));
        } catch (error) {
          // Storage full or disabled: the form still works, only without a draft.
        }
      });
    }

    function queueSave() {
      pending += 1;
      chain = chain.then(save).catch(function () {}).then(function () {
        pending -= 1;
      });
    }

    form.addEventListener("input", queueSave);
    form.addEventListener("change", queueSave);
    // The last keystrokes must be in the draft before the page is left.
    form.addEventListener("submit", function (event) {
      if (pending > 0) {
        event.preventDefault();
        var submitter = event.submitter || undefined;
        chain.then(function () {
          form.requestSubmit(submitter);
        });
      }
    });
  }

  function restore(form, storageKey) {
    var stored = read(storageKey);
    // A form the server sent back with errors already holds what was typed: it wins.
    if (!stored || form.querySelector(".is-invalid, [aria-invalid='true']")) {
      return;
    }
    decrypt(stored).then(
      function (values) {
        if (same(values, snapshot(form))) {
          return;
        }
        apply(form, values);
        var message = notice("entwurf-hinweis");
        message.querySelector("[data-draft-saved-at]").textContent = new Date(stored.savedAt).toLocaleString(
          "de-DE",
          { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" }
        );
        message.querySelector("[data-draft-discard]").addEventListener("click", function () {
          form.reset();
          localStorage.removeItem(storageKey);
          var discarded = notice("entwurf-verworfen");
          message.replaceWith(discarded);
          discarded.focus();
        });
        form.parentNode.insertBefore(message, form);
      },
      function () {
        localStorage.removeItem(storageKey); // another key (a new server secret): unreadable
      }
    );
  }

  pruneExpired();
  dropSaved();

  var perAction = {};
  document.querySelectorAll("main form").forEach(function (form) {
    if (!keepsDrafts(form)) {
      return;
    }
    var path = new URL(form.action, location.href).pathname;
    var index = (perAction[path] = (perAction[path] || 0) + 1);
    var storageKey = ownerPrefix + path + "#" + index;
    keep(form, storageKey);
    restore(form, storageKey);
  });

  // "Abmelden" on a shared PC: the person's drafts go with them.
  document.querySelectorAll('form[action="' + config.dataset.logoutUrl + '"]').forEach(function (form) {
    form.addEventListener("submit", function () {
      removeWhere(function (name) {
        return name.indexOf(ownerPrefix) === 0;
      });
    });
  });
})();
