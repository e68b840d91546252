/* Forms: the server checks every entry and answers with the error summary
 * (templates/partials/error_summary.html), the same way in every browser and screen reader.
 * The browser's own bubbles would stop a form first, show one mistake at a time in the
 * browser's language and vanish again. Every form carries `novalidate` in its markup
 * (sozialraum/form_helpers.py for crispy forms, the templates for the others); this only
 * catches a form that forgot it. */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
    form.noValidate = true;
  });

  /* Each entry of the summary links to its field. The link alone moves focus there; this also
   * brings the field's label into view, which the browser would leave above the top edge. */
  var summary = document.getElementById("fehleruebersicht");
  if (!summary) return;
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-field]");
    var field = link && document.getElementById(link.getAttribute("data-field"));
    if (!field) return;
    event.preventDefault();
    (field.closest("fieldset, .mb-3") || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
