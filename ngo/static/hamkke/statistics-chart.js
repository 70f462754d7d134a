// Hamkke: the bar chart of a statistics dataset. The figures come from a
// json_script element (no inline script under the Content-Security-Policy);
// withheld counts are null and simply not drawn.
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("dataset-chart-data");
  var canvas = document.getElementById("dataset-chart");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#d63384", "#20c997",
                 "#ffc107", "#0dcaf0", "#6c757d", "#dc3545"];
  var datasets = data.series.map(function (name, column) {
    return {
      label: name,
      data: data.values.map(function (row) { return row[column]; }),
      backgroundColor: palette[column % palette.length]
    };
  });
  new Chart(canvas, {
    type: "bar",
    data: { labels: data.labels, datasets: datasets },
    options: {
      responsive: true,
      plugins: { legend: { display: datasets.length > 1 } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
    }
  });
});
