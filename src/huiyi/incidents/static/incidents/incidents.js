// Incidents: live countdowns of clocks and acknowledgement timers, and the report form's type buttons.
// No inline script (CSP): every element carries its data in data-* attributes.
(function () {
  "use strict";

  function format(seconds) {
    var sign = seconds < 0 ? "-" : "";
    seconds = Math.abs(Math.round(seconds));
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return sign + (h ? h + ":" + pad(m) : m) + ":" + pad(s);
  }

  function tick() {
    var nodes = document.querySelectorAll("[data-countdown-due]");
    nodes.forEach(function (node) {
      var due = Date.parse(node.getAttribute("data-countdown-due"));
      var skew = parseFloat(node.getAttribute("data-skew") || "0");
      if (isNaN(due)) { return; }
      var left = (due - (Date.now() + skew)) / 1000;
      node.textContent = format(left);
      var box = node.closest("[data-clock]");
      if (box && left < 0) {
        box.classList.add("border-danger", "text-danger");
      }
    });
  }

  function calibrate(root) {
    (root || document).querySelectorAll("[data-countdown-due]").forEach(function (node) {
      var server = Date.parse(node.getAttribute("data-server-now"));
      if (!isNaN(server)) {
        node.setAttribute("data-skew", String(server - Date.now()));
      }
    });
  }

  function typeButtons() {
    var form = document.getElementById("report-form");
    if (!form) { return; }
    var device = document.getElementById("device-field");
    var update = function () {
      var checked = form.querySelector("input[name=type]:checked");
      if (device) {
        device.hidden = !(checked && checked.value === "equipment_failure");
      }
    };
    form.querySelectorAll("input[name=type]").forEach(function (input) {
      input.addEventListener("change", update);
    });
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    calibrate();
    typeButtons();
    tick();
    window.setInterval(tick, 1000);
  });
  document.body && document.body.addEventListener("htmx:afterSwap", function (event) {
    calibrate(event.target);
    tick();
  });
})();
