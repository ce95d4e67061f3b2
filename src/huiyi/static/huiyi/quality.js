// Quality pages. No inline scripts: the Content-Security-Policy forbids them.
document.addEventListener("DOMContentLoaded", () => {
  // What-if check: choosing another control point shows its criteria at once (the button stays for no-JS).
  const select = document.querySelector("#cp-choice select[name=control_point]");
  if (select) select.addEventListener("change", () => select.form.submit());
});

// Scorecard: after "Evaluate now" replaces the scorecard, page-level messages from before are stale.
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.target && event.detail.target.id === "scorecard-body") {
    document.querySelectorAll("#main > .alert").forEach((alert) => alert.remove());
  }
});
