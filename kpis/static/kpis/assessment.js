// Sales vs marketing score per area on a round's result page.
(function () {
  const source = document.getElementById("assessment-chart");
  const canvas = document.querySelector("canvas[data-assessment-chart]");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: data.sales_label, data: data.sales, backgroundColor: "#1f6f8b" },
        { label: data.marketing_label, data: data.marketing, backgroundColor: "#e07a1f" },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { min: 0, max: 5 } },
    },
  });
})();

// Mean total score per round and side on the list of rounds.
(function () {
  const source = document.getElementById("assessment-trend");
  const canvas = document.querySelector("canvas[data-assessment-trend]");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const colours = ["#1f6f8b", "#e07a1f", "#3c9d5d"];
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: data.datasets.map((dataset, index) => ({
        label: dataset.label,
        data: dataset.data,
        spanGaps: true,
        borderColor: colours[index % colours.length],
        backgroundColor: colours[index % colours.length],
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { min: 20, max: 100 } },
    },
  });
})();
