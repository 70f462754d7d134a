// Hamkke: the charts of the home page. Each canvas names the json_script
// element holding its numbers (no inline script under the CSP). Counts held
// back by the small-cell rule arrive as 0 with withheld=true: they are drawn
// at zero height and marked with their label ("<5"), never at their true size.
(function () {
  "use strict";
  var PALETTE = ["#0d6efd", "#fd7e14", "#198754", "#6f42c1", "#d63384", "#20c997", "#6c757d"];

  var withheldMarks = {
    id: "hamkkeWithheld",
    afterDatasetsDraw: function (chart) {
      var label = chart.options.plugins.hamkkeWithheld.label;
      if (!label) { return; }
      var ctx = chart.ctx;
      ctx.save();
      ctx.font = "bold 11px sans-serif";
      ctx.fillStyle = "#495057";
      ctx.textAlign = "center";
      ctx.textBaseline = "bottom";
      chart.data.datasets.forEach(function (dataset, index) {
        var meta = chart.getDatasetMeta(index);
        if (meta.hidden) { return; }
        (dataset.withheld || []).forEach(function (held, i) {
          if (!held || !meta.data[i]) { return; }
          var point = meta.data[i].tooltipPosition();
          var horizontal = chart.options.indexAxis === "y";
          ctx.textAlign = horizontal ? "left" : "center";
          ctx.textBaseline = horizontal ? "middle" : "bottom";
          ctx.fillText(label, point.x + (horizontal ? 4 : 0), point.y - (horizontal ? 0 : 2));
        });
      });
      ctx.restore();
    }
  };

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var datasets = data.series.map(function (series, n) {
      var colour = PALETTE[n % PALETTE.length];
      return {
        label: series.name,
        data: series.values,
        withheld: series.withheld,
        type: series.line ? "line" : data.kind,
        backgroundColor: series.line ? "transparent" : colour,
        borderColor: colour,
        borderWidth: series.line ? 2 : 0,
        pointRadius: series.line ? 0 : 3
      };
    });
    var valueAxis = { beginAtZero: true, ticks: { precision: 0 } };
    new window.Chart(canvas, {
      type: data.kind,
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: data.horizontal ? "y" : "x",
        scales: data.horizontal ? { x: valueAxis } : { y: valueAxis },
        plugins: {
          legend: { display: datasets.length > 1 },
          hamkkeWithheld: { label: data.withheldLabel },
          tooltip: {
            callbacks: {
              label: function (item) {
                var held = item.dataset.withheld && item.dataset.withheld[item.dataIndex];
                var value = held ? data.withheldLabel + " (" + data.withheldNote + ")" : item.formattedValue;
                return item.dataset.label + ": " + value;
              }
            }
          }
        }
      },
      plugins: [withheldMarks]
    });
  }

  function toggleTable(button) {
    var table = document.getElementById(button.getAttribute("aria-controls"));
    if (!table) { return; }
    var shown = button.getAttribute("aria-expanded") === "true";
    table.classList.toggle("visually-hidden", shown);
    button.setAttribute("aria-expanded", shown ? "false" : "true");
    button.textContent = shown ? button.getAttribute("data-show") : button.getAttribute("data-hide");
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof window.Chart !== "undefined") {
      document.querySelectorAll("canvas.dashboard-chart").forEach(draw);
    }
    document.querySelectorAll(".dashboard-table-toggle").forEach(function (button) {
      button.addEventListener("click", function () { toggleTable(button); });
    });
  });
})();
