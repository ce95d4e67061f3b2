// Plan pages: copy the client link; show a section's comment box only when the client comments.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const input = document.querySelector(button.dataset.copy);
  if (!input) return;
  input.select();
  if (navigator.clipboard) navigator.clipboard.writeText(input.value);
});

function syncComment(block) {
  const checked = block.querySelector("input[type=radio]:checked");
  const comment = block.querySelector("textarea");
  if (!comment) return;
  const commenting = checked && checked.value === "comment";
  comment.closest(".client-answer").classList.toggle("commenting", commenting);
  comment.required = commenting;
}

document.querySelectorAll(".client-answer").forEach((block) => {
  block.classList.add("enhanced"); // without JavaScript every comment box stays visible
  syncComment(block);
  block.addEventListener("change", () => syncComment(block));
});
