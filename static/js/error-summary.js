/* The error summary of a rejected form (templates/partials/error_summary.html) links to each
 * field. The link alone already moves focus there; this also scrolls the field's label and
 * message into view, which the browser would leave above the top edge. */
(function () {
  "use strict";
  var summary = document.getElementById("fehleruebersicht");
  if (!summary) return;
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-field]");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("data-field"));
    if (!field) return;
    event.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']");
    var group = field.closest("fieldset, .mb-3") || label || field;
    group.scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
