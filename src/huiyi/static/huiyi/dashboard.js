// Projects by phase as a bar chart (ECharts), from the JSON the server put in #phase-data.
(function () {
  const holder = document.getElementById("phase-chart");
  const source = document.getElementById("phase-data");
  if (!holder || !source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const chart = echarts.init(holder, null, { renderer: "svg" });
  chart.setOption({
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis" },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: data.labels, inverse: true },
    series: [{ type: "bar", data: data.counts, itemStyle: { color: "#b4232a" }, label: { show: true, position: "right" } }],
  });
  window.addEventListener("resize", () => chart.resize());
})();
