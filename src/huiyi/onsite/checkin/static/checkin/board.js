// The check-in board's arrivals chart (ECharts). The live fragment carries its data in #arrivals-data
// (json_script) and is replaced by htmx every few seconds: the chart is drawn again after each swap.
(function () {
  "use strict";
  let chart = null;
  function draw() {
    const holder = document.getElementById("arrivals-chart");
    const source = document.getElementById("arrivals-data");
    if (chart) { chart.dispose(); chart = null; }
    if (!holder || !source || typeof echarts === "undefined") return;
    const data = JSON.parse(source.textContent);
    chart = echarts.init(holder, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.labels },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: data.counts, itemStyle: { color: "#1e7b34" } }],
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target && event.detail.target.id === "board-live") draw();
  });
  window.addEventListener("resize", () => chart && chart.resize());
})();
