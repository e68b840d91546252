/* The main navigation's menus are <details> elements: they open and close by mouse, Enter and
 * Space without any script. This adds what people expect from a menu bar on top: one menu open
 * at a time, Escape closes it and returns to its button, and it closes when focus or a click
 * goes elsewhere. No inline scripts: the Content-Security-Policy forbids them. */
(function () {
  "use strict";
  var menus = Array.prototype.slice.call(document.querySelectorAll("details[data-nav-menu]"));
  if (!menus.length) return;

  function close(menu, returnFocus) {
    if (!menu.open) return;
    menu.open = false;
    if (returnFocus) menu.querySelector("summary").focus();
  }

  menus.forEach(function (menu) {
    menu.addEventListener("toggle", function () {
      if (!menu.open) return;
      menus.forEach(function (other) { if (other !== menu) close(other, false); });
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        event.preventDefault();
        close(menu, true);
      }
    });
    menu.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !menu.contains(event.relatedTarget)) close(menu, false);
    });
  });

  document.addEventListener("click", function (event) {
    menus.forEach(function (menu) { if (!menu.contains(event.target)) close(menu, false); });
  });
})();
