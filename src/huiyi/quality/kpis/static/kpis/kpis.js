// KPI trend lines (ECharts). Data comes from json_script: no inline script (CSP). A period without data is a
// gap in the line, never a zero; a KPI without any data shows "no data" instead of a chart.
(function () {
  const source = document.getElementById("kpi-charts");
  if (!source || typeof echarts === "undefined") return;
  const charts = JSON.parse(source.textContent);
  const instances = [];
  charts.forEach((chart) => {
    const element = document.getElementById(chart.id);
    if (!element) return;
    if (!chart.values.some((v) => v !== null)) {
      element.classList.add("d-none");
      const note = document.querySelector('[data-nodata-for="' + chart.id + '"]');
      if (note) note.classList.remove("d-none");
      return;
    }
    const instance = echarts.init(element, null, { renderer: "svg" });
    const series = [{
      type: "line", data: chart.values, connectNulls: false, symbolSize: 5,
      itemStyle: { color: "#b4232a" }, lineStyle: { width: 2 },
    }];
    if (chart.target !== null) {
      series[0].markLine = { silent: true, symbol: "none", lineStyle: { type: "dashed", color: "#6c757d" },
        label: { formatter: String(chart.target) + chart.unit, fontSize: 10 }, data: [{ yAxis: chart.target }] };
    }
    instance.setOption({
      grid: { left: 4, right: 36, top: 12, bottom: 4, containLabel: true },
      xAxis: { type: "category", data: chart.labels, axisLabel: { fontSize: 10 } },
      yAxis: { type: "value", axisLabel: { fontSize: 10, formatter: "{value}" + chart.unit }, scale: true },
      tooltip: { trigger: "axis", valueFormatter: (v) => (v === null || v === undefined ? "—" : v + chart.unit) },
      series: series,
      animation: false,
    });
    instances.push(instance);
  });
  window.addEventListener("resize", () => instances.forEach((i) => i.resize()));
})();
