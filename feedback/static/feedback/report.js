// Charts for the feedback round report; data comes from the json_script block.
(function () {
  const source = document.getElementById("report-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const labels = document.getElementById("report-labels").dataset;
  const colours = { good: "#198754", bad: "#dc3545", idea: "#0d6efd" };

  const kindCanvas = document.getElementById("kind-chart");
  if (kindCanvas && data.kinds.length) {
    new Chart(kindCanvas, {
      type: "bar",
      data: {
        labels: data.kinds.map((row) => row.label),
        datasets: [
          {
            label: labels.entries,
            data: data.kinds.map((row) => row.entries),
            backgroundColor: data.kinds.map((row) => colours[row.key] || "#6c757d"),
          },
        ],
      },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } },
    });
  }

  const trendCanvas = document.getElementById("trend-chart");
  if (trendCanvas && data.trend.length) {
    new Chart(trendCanvas, {
      type: "line",
      data: {
        labels: data.trend.map((point) => point.month),
        datasets: [
          {
            label: labels.participation,
            data: data.trend.map((point) => Math.round(point.participation_rate * 100)),
            borderColor: "#0d6efd",
            yAxisID: "rate",
          },
          {
            label: labels.closed,
            data: data.trend.map((point) => point.actions_closed),
            borderColor: "#198754",
            yAxisID: "count",
          },
        ],
      },
      options: {
        scales: {
          rate: { position: "left", beginAtZero: true, max: 100 },
          count: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false } },
        },
      },
    });
  }
})();
