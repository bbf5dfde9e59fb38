// Charts for alignment pages. Data comes from json_script elements; no inline code (CSP).
(function () {
  if (typeof Chart === "undefined") return;
  document.querySelectorAll("canvas[data-chart-source]").forEach((canvas) => {
    const source = document.getElementById(canvas.dataset.chartSource);
    if (!source) return;
    const data = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: canvas.dataset.chartType || "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map((set, i) => ({
          label: set.label,
          data: set.values,
          backgroundColor: ["#0f5c8c", "#5eead4", "#f59e0b", "#b42318"][i % 4],
          borderColor: ["#0f5c8c", "#0f766e", "#b45309", "#7a271a"][i % 4],
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: data.datasets.length > 1 } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  });
})();
