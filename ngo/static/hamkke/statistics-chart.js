// Hamkke: the bar chart of a statistics dataset. The figures come from a
// json_script element (no inline script under the Content-Security-Policy).
// A withheld figure arrives as 0 with its mark ("<5" or "x") in data.marks:
// it is drawn at zero height with the mark above it, never at a true size.
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
      marks: (data.marks || []).map(function (row) { return row[column]; }),
      backgroundColor: palette[column % palette.length]
    };
  });
  var markPlugin = {
    id: "hamkkeMarks",
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      ctx.save();
      ctx.font = "bold 11px sans-serif";
      ctx.fillStyle = "#495057";
      ctx.textAlign = "center";
      ctx.textBaseline = "bottom";
      chart.data.datasets.forEach(function (dataset, index) {
        var meta = chart.getDatasetMeta(index);
        if (meta.hidden) { return; }
        (dataset.marks || []).forEach(function (mark, i) {
          if (mark === null || mark === undefined || !meta.data[i]) { return; }
          var point = meta.data[i].tooltipPosition();
          ctx.fillText(mark, point.x, point.y - 2);
        });
      });
      ctx.restore();
    }
  };
  new Chart(canvas, {
    type: "bar",
    data: { labels: data.labels, datasets: datasets },
    options: {
      responsive: true,
      plugins: {
        legend: { display: datasets.length > 1 },
        tooltip: {
          callbacks: {
            label: function (item) {
              var mark = item.dataset.marks && item.dataset.marks[item.dataIndex];
              return item.dataset.label + ": " + (mark ? mark : item.formattedValue);
            }
          }
        }
      },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
    },
    plugins: [markPlugin]
  });
});
