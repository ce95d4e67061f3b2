// Copy buttons of the feedback page (links to hand out). No inline script (CSP).
document.querySelectorAll("[data-copy]").forEach((button) => {
  button.addEventListener("click", () => {
    const input = document.querySelector(button.dataset.copy);
    if (!input) return;
    input.select();
    const done = () => {
      const before = button.innerHTML;
      button.textContent = button.dataset.copied || "✓";
      setTimeout(() => { button.innerHTML = before; }, 1500);
    };
    if (navigator.clipboard) navigator.clipboard.writeText(input.value).then(done, () => document.execCommand("copy") && done());
    else if (document.execCommand("copy")) done();
  });
});
