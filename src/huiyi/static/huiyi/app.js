// Shared behaviour for every page. No inline scripts: the Content-Security-Policy forbids them.
document.addEventListener("htmx:responseError", (event) => {
  const box = document.createElement("div");
  box.className = "alert alert-danger mt-2";
  box.setAttribute("role", "alert");
  box.textContent = event.detail.xhr.status >= 500
    ? document.documentElement.lang.startsWith("zh") ? "服务器出错，请稍后再试。" : "Server error; please try again."
    : event.detail.xhr.statusText;
  event.detail.target.prepend(box);
});

// A filter <select data-autosubmit> submits its form when changed (an inline onchange= would be blocked by
// the CSP).
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
});
