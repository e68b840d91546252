/* Checkbox lists with a filter: a long list of checkboxes (partners, providers, colleagues)
 * gets a text field above it that hides the entries not containing what is typed. Ticked
 * entries always stay visible, so nothing chosen disappears from view. Without this script
 * the list is a plain list of checkboxes, which works just as well, only longer.
 * The forms mark such lists with `data-checklist` on their checkboxes
 * (sozialraum/form_helpers.py, CheckboxList). */
(function () {
  "use strict";
  var lists = [];
  Array.prototype.forEach.call(document.querySelectorAll("input[data-checklist]"), function (box) {
    var option = box.closest(".form-check");
    var list = option && option.parentElement;
    if (list && lists.indexOf(list) < 0) lists.push(list);
  });

  lists.forEach(function (list, number) {
    var options = Array.prototype.slice.call(list.querySelectorAll(".form-check"));
    list.classList.add("checklist");
    if (options.length < 6) return;
    var id = "checklist-filter-" + (number + 1);
    var wrapper = document.createElement("div");
    wrapper.className = "checklist-filter mb-2";
    var label = document.createElement("label");
    label.className = "form-label small mb-1";
    label.htmlFor = id;
    label.textContent = "Liste filtern";
    var input = document.createElement("input");
    input.type = "text";
    input.id = id;
    input.className = "form-control form-control-sm";
    input.autocomplete = "off";
    var status = document.createElement("p");
    status.className = "form-text small mb-0";
    status.id = id + "-status";
    status.setAttribute("aria-live", "polite");
    input.setAttribute("aria-describedby", status.id);
    wrapper.appendChild(label);
    wrapper.appendChild(input);
    wrapper.appendChild(status);
    list.parentElement.insertBefore(wrapper, list);

    function apply() {
      var wanted = input.value.trim().toLocaleLowerCase("de");
      var shown = 0;
      options.forEach(function (option) {
        var box = option.querySelector("input");
        var text = option.textContent.toLocaleLowerCase("de");
        var visible = !wanted || text.indexOf(wanted) >= 0 || (box && box.checked);
        option.hidden = !visible;
        if (visible) shown += 1;
      });
      status.textContent = wanted
        ? shown + " von " + options.length + " Einträgen angezeigt"
        : "";
    }
    input.addEventListener("input", apply);
    /* Enter in the filter would submit the whole form. */
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
  });
})();
