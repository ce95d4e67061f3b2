// The live agenda in the browser: running clocks (elapsed, time left or over-run) and one-tap buttons that
// cannot be sent twice by a double tap. Loaded once per page, even when the cockpit panel is swapped in again
// by htmx polling. The tolerance comes from the rulebook (data-tolerance,
// seconds) and the server's clock (data-server-now) corrects a phone whose clock is off.
(function () {
  "use strict";
  if (window.huiyiLiveAgendaClock) {
    return;
  }
  window.huiyiLiveAgendaClock = true;

  function format(totalSeconds) {
    const seconds = Math.max(0, Math.round(totalSeconds));
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    const mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function tick() {
    document.querySelectorAll(".live-clock[data-since]").forEach(function (el) {
      if (el.dataset.offset === undefined) {
        const server = Date.parse(el.dataset.serverNow);
        el.dataset.offset = String(Number.isNaN(server) ? 0 : server - Date.now());
      }
      const now = Date.now() + Number(el.dataset.offset);
      const elapsed = (now - Date.parse(el.dataset.since)) / 1000;
      const planned = Number(el.dataset.plannedSeconds);
      const tolerance = Number(el.dataset.tolerance);
      if (Number.isNaN(elapsed) || Number.isNaN(planned)) {
        return;
      }
      const left = planned - elapsed;
      const status = left >= 0
        ? el.dataset.labelRemaining + " " + format(left)
        : el.dataset.labelOver + " " + format(-left);
      el.textContent = format(elapsed) + " · " + status;
      el.classList.toggle("text-danger", left < 0 && -left > tolerance);
      el.classList.toggle("text-warning-emphasis", left < 0 && -left <= tolerance);
      el.classList.toggle("text-success", left >= 0);
    });
  }

  tick();
  window.setInterval(tick, 1000);

  // One tap, one request: a form marked data-once disables its buttons once sent.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-once")) {
      return;
    }
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    window.setTimeout(function () {
      form.querySelectorAll("button").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });
})();
