// Draws the dashboard's charts from the json_script data; the tables under them hold the same numbers.
(function () {
  const source = document.getElementById("kpi-charts");
  if (!source || typeof Chart === "undefined") return;
  const charts = JSON.parse(source.textContent);
  const palette = ["#1f6f8b", "#e07a1f", "#3c9d5d", "#8e5ea2", "#c94c4c", "#6c757d"];
  document.querySelectorAll("canvas[data-kpi-chart]").forEach((canvas) => {
    const spec = charts[canvas.dataset.kpiChart];
    if (!spec) return;
    const horizontal = Boolean(spec.horizontal);
    const stacked = spec.key === "pipeline";
    new Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map((dataset, index) => ({
          label: dataset.label,
          data: dataset.data,
          spanGaps: true,
          backgroundColor: palette[index % palette.length],
          borderColor: palette[index % palette.length],
        })),
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked: stacked }, y: { stacked: stacked, beginAtZero: true } },
        plugins: { legend: { display: spec.datasets.length > 1 } },
      },
    });
    canvas.dataset.rendered = "true";
  });
})();

// Tables list periods oldest first like the charts; start them scrolled to the latest period.
document.querySelectorAll(".kpi-table-wrap").forEach((wrap) => {
  wrap.scrollTop = wrap.scrollHeight;
});
