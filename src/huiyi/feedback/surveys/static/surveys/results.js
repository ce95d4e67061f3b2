// Bars per question on the results page (ECharts). Data comes from json_script: no inline script (CSP).
(function () {
  const source = document.getElementById("survey-charts");
  if (!source || typeof echarts === "undefined") return;
  const charts = JSON.parse(source.textContent);
  const instances = [];
  charts.forEach((chart) => {
    const element = document.getElementById(chart.id);
    if (!element) return;
    const instance = echarts.init(element, null, { renderer: "svg" });
    instance.setOption({
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: chart.labels, inverse: true, axisLabel: { width: 110, overflow: "truncate" } },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      series: [{ type: "bar", data: chart.counts, itemStyle: { color: "#b4232a" }, label: { show: true, position: "right" } }],
      animation: false,
    });
    instances.push(instance);
  });
  window.addEventListener("resize", () => instances.forEach((i) => i.resize()));
})();
