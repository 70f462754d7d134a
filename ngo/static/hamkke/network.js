// Hamkke: the network view (organisations <-> coalitions <-> campaigns), drawn
// with cytoscape from the user's scoped JSON endpoint. No inline script (CSP),
// and no inline style: the page links the stylesheet cytoscape would inject.
(function () {
  "use strict";
  var COLOURS = { organisation: "#0d6efd", coalition: "#198754", campaign: "#fd7e14" };
  var SHAPES = { organisation: "ellipse", coalition: "round-rectangle", campaign: "diamond" };
  var READABLE_PX = 9;        // labels rendered smaller than this are not drawn
  var READABLE_ZOOM = 0.8;    // 13px labels render at 10px or more by default
  var FIT_PADDING = 40;

  function pageUrl(container, node) {
    var template = container.getAttribute("data-" + node.kind + "-url");
    return template ? template.replace("/0/", "/" + node.url_id + "/") : null;
  }

  function message(container, text) {
    container.textContent = "";
    var p = document.createElement("p");
    p.className = "text-muted p-3";
    p.textContent = text;
    container.appendChild(p);
  }

  function draw(container, data) {
    if (!data.nodes.length) { message(container, container.getAttribute("data-empty")); return; }
    container.textContent = "";
    var elements = data.nodes.map(function (n) {
      return { group: "nodes", data: { id: n.id, label: n.label, kind: n.kind, url: pageUrl(container, n) } };
    }).concat(data.edges.map(function (e, i) {
      return { group: "edges", data: { id: "e" + i, source: e.source, target: e.target, kind: e.kind } };
    }));
    var cy = window.cytoscape({
      container: container,
      elements: elements,
      style: [
        // Labels under the node on a white band, so that edges do not run
        // through them; below READABLE_PX on screen they are hidden rather
        // than drawn as an illegible smudge (zoom in to read them).
        { selector: "node", style: {
          "label": "data(label)", "font-size": 13, "color": "#212529",
          "text-wrap": "ellipsis", "text-max-width": 160,
          "text-valign": "bottom", "text-halign": "center", "text-margin-y": 4,
          "text-background-color": "#ffffff", "text-background-opacity": 0.85,
          "text-background-padding": 2, "text-background-shape": "roundrectangle",
          "min-zoomed-font-size": READABLE_PX,
          "background-color": function (ele) { return COLOURS[ele.data("kind")]; },
          "shape": function (ele) { return SHAPES[ele.data("kind")]; },
          "width": 18, "height": 18 } },
        { selector: "node[kind = 'coalition']", style: { "font-weight": "bold" } },
        { selector: "node[kind = 'coalition']", style: { "width": 28, "height": 22 } },
        { selector: "edge", style: { "width": 1, "line-color": "#adb5bd", "curve-style": "bezier" } },
        { selector: "edge[kind = 'lead'], edge[kind = 'runs']", style: { "width": 2, "line-color": "#6c757d" } }
      ],
      // Force-directed, with room for the labels: partners cluster around their coalitions.
      layout: {
        name: "cose", animate: false, randomize: true, nodeDimensionsIncludeLabels: true,
        nodeRepulsion: 200000, idealEdgeLength: 80, edgeElasticity: 100, nodeOverlap: 20,
        componentSpacing: 120, gravity: 1, numIter: 2000, padding: FIT_PADDING, fit: true
      },
      minZoom: 0.2, maxZoom: 3
    });
    // A large network fitted whole is too small to read: at the default view
    // the labels are at least legible, centred on the graph; pan to see the rest.
    cy.ready(function () {
      cy.fit(cy.elements(), FIT_PADDING);  // labels included, now that they are measured
      if (cy.zoom() < READABLE_ZOOM) {
        cy.zoom(READABLE_ZOOM);
        cy.center();
      }
    });
    cy.on("tap", "node", function (event) {
      var url = event.target.data("url");
      if (url) { window.location.assign(url); }
    });
  }

  function load(container, form) {
    var params = new URLSearchParams();
    form.querySelectorAll("select").forEach(function (select) {
      if (select.value) { params.set(select.name, select.value); }
    });
    var url = container.getAttribute("data-url") + (params.toString() ? "?" + params.toString() : "");
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (data) { draw(container, data); })
      .catch(function () { message(container, container.getAttribute("data-error")); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("network");
    var form = document.getElementById("network-filters");
    if (!container || !form || !window.cytoscape) { return; }
    form.addEventListener("change", function () { load(container, form); });
    form.addEventListener("submit", function (event) { event.preventDefault(); load(container, form); });
    load(container, form);
  });
})();
