// The upload form shows the name the file will be stored under (naming rule 会议名称-日期-类型, REQ-DOC-02).
(function () {
  const data = document.getElementById("document-suggestions");
  const type = document.getElementById("id_doc_type");
  const file = document.getElementById("id_file");
  const name = document.getElementById("suggested-name");
  const ext = document.getElementById("suggested-ext");
  if (!data || !type || !name) return;
  const suggestions = JSON.parse(data.textContent);
  function update() {
    name.textContent = suggestions[type.value] || "";
    const chosen = file && file.files && file.files[0] ? file.files[0].name : "";
    ext.textContent = chosen.includes(".") ? "." + chosen.split(".").pop().toLowerCase() : "";
  }
  type.addEventListener("change", update);
  if (file) file.addEventListener("change", update);
  update();
})();
