// Contract form: add payment lines and show their running total beside the contract value.
(function () {
  "use strict";
  const form = document.getElementById("contract-form");
  if (!form) return;
  const rows = document.getElementById("payment-rows");
  const template = document.getElementById("payment-row-template");
  const totalForms = form.querySelector("input[name=payments-TOTAL_FORMS]");
  const totalOut = document.getElementById("payment-total");
  const value = form.querySelector("input[name=value]");

  function total() {
    let sum = 0;
    rows.querySelectorAll(".payment-row").forEach((row) => {
      const removed = row.querySelector("input[type=checkbox][name$=DELETE]");
      const amount = row.querySelector("input[name$=amount]");
      if (removed && removed.checked) return;
      const cents = Math.round(parseFloat(amount && amount.value ? amount.value : "0") * 100);
      if (!Number.isNaN(cents)) sum += cents;
    });
    const expected = Math.round(parseFloat(value && value.value ? value.value : "0") * 100);
    totalOut.textContent = (sum / 100).toFixed(2);
    totalOut.classList.toggle("text-danger", sum !== expected);
    totalOut.classList.toggle("text-success", sum === expected && sum > 0);
  }

  document.getElementById("add-payment").addEventListener("click", () => {
    const index = parseInt(totalForms.value, 10);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    totalForms.value = String(index + 1);
    total();
  });
  form.addEventListener("input", total);
  form.addEventListener("change", total);
  total();
})();
