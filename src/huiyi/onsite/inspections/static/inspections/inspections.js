// Round form: items measured in the main hall only are hidden (and emptied) when the round is elsewhere.
(function () {
  "use strict";
  function sync(form) {
    const box = form.querySelector('[name="is_main_hall"]');
    if (!box || box.type !== "checkbox") return;
    form.querySelectorAll(".main-hall-only").forEach(function (row) {
      row.classList.toggle("hidden-off-hall", !box.checked);
      if (!box.checked) {
        row.querySelectorAll("input[type=text]").forEach(function (input) { input.value = ""; });
        row.querySelectorAll("input[type=radio]").forEach(function (input) { input.checked = false; });
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.inspection-form").forEach(function (form) {
      sync(form);
      form.addEventListener("change", function (event) {
        if (event.target.name === "is_main_hall") sync(form);
      });
    });
  });
})();
