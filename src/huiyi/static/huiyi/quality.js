// What-if check: choosing another control point shows its criteria at once (the button stays for no-JS).
document.addEventListener("DOMContentLoaded", () => {
  const select = document.querySelector("#cp-choice select[name=control_point]");
  if (select) select.addEventListener("change", () => select.form.submit());
});
