// Booking form: show only the fields of the chosen kind (venue → room/layout/drawing, equipment → device …).
(function () {
  "use strict";
  const FIELDS = {
    venue: ["room", "layout", "layout_drawing"],
    equipment: ["equipment"],
    staff: ["staff", "staff_role", "quantity"],
    material: ["material", "quantity"],
  };
  const ALL = ["room", "layout", "layout_drawing", "equipment", "staff", "staff_role", "material", "quantity"];

  function wrapperOf(form, name) {
    const input = form.querySelector('[name="' + name + '"]');
    return input ? input.closest("[class*='col-']") : null;
  }

  function sync(form) {
    const kind = form.querySelector('[name="kind"]');
    if (!kind) return;
    const shown = FIELDS[kind.value] || ALL;
    ALL.forEach(function (name) {
      const wrapper = wrapperOf(form, name);
      if (wrapper) {
        wrapper.classList.add("booking-field");
        wrapper.hidden = shown.indexOf(name) === -1;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-booking-form]").forEach(function (form) {
      sync(form);
      form.addEventListener("change", function (event) {
        if (event.target.name === "kind") sync(form);
      });
    });
  });
})();
