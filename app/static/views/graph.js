/* LIFE ACT Knowledge Explorer: the network views (vis-network).
   Data arrives as JSON in #graph-data; everything shown from it is set as text, never as HTML.
   The words come with it too (data.text, in the page's language): this script holds none. */
(function () {
  "use strict";
  var started = performance.now();
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var state = (window.lifeact = { ready: false, layoutMs: null, selected: null });

  function fold(text) {
    return String(text)
      .toLowerCase()
      .replace(/æ/g, "ae").replace(/ø/g, "o").replace(/å/g, "a").replace(/aa/g, "a")
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^0-9a-z]+/g, "");
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  // data.text's "{name}" placeholders filled in; the values are set as text like everything else.
  function say(key, values) {
    return data.text[key].replace(/\{(\w+)\}/g, function (whole, name) {
      return values && name in values ? String(values[name]) : whole;
    });
  }

  // The page's language, when the reader chose one, travels with every link the script makes.
  function withLang(url) {
    return data.lang ? url + "&lang=" + encodeURIComponent(data.lang) : url;
  }

  function shorten(text, limit) {
    return text.length > limit ? text.slice(0, limit - 1) + "…" : text;
  }

  // Tooltips as DOM elements: vis-network shows them as they are, so no markup from the data is parsed.
  function tooltip(node) {
    var box = element("div", null, "tip");
    box.appendChild(element("strong", node.name));
    node.facts.forEach(function (fact) {
      box.appendChild(element("div", fact[0] + ": " + shorten(fact[1], 90)));
    });
    if (node.source) box.appendChild(element("div", say("source") + ": " + node.source, "tip-source"));
    (node.sources || []).forEach(function (pair) {
      box.appendChild(element("div", say("sourceFor", { name: pair[0] }) + ": " + pair[1], "tip-source"));
    });
    return box;
  }

  var baseColor = {};
  var nodes = new vis.DataSet(
    data.nodes.map(function (node) {
      baseColor[node.id] = node.color;
      return Object.assign({}, node, { title: tooltip(node) });
    })
  );
  var names = {};
  data.nodes.forEach(function (node) {
    names[node.id] = node.name;
  });
  // Edges arrive as {from, to, type, note?}; how each type looks and reads comes once, in edgeStyles.
  var edges = new vis.DataSet(
    data.edges.map(function (edge, i) {
      var style = data.edgeStyles[edge.type] || { label: edge.type, dashes: false, arrows: "to" };
      var drawn = {
        id: "e" + i,
        from: edge.from,
        to: edge.to,
        type: edge.type,
        dashes: style.dashes,
        arrows: style.arrows,
        title: names[edge.from] + " " + style.label + " " + names[edge.to] + (edge.note ? " (" + edge.note + ")" : ""),
      };
      if (style.color) drawn.color = { color: style.color, highlight: style.color, hover: style.color };
      return drawn;
    })
  );
  var hiddenKinds = {};
  var nodeView = new vis.DataView(nodes, {
    filter: function (node) {
      return !hiddenKinds[node.kind];
    },
  });
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edges }, data.options);
  state.network = network;
  state.nodes = nodes;
  state.edges = edges;

  function markReady() {
    if (state.ready) return;
    state.layoutMs = Math.round(performance.now() - started);
    state.ready = true;
    document.body.setAttribute("data-ready", "1");
  }
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } }); // settled: stop spending CPU on physics
    network.fit();
    markReady();
  });
  network.once("afterDrawing", function () {
    if (!data.options.physics || data.options.physics.enabled === false) markReady();
  });

  // -- details and neighbour highlighting -------------------------------------------------------
  var details = document.getElementById("details");

  function recenterUrl(node) {
    return withLang(data.recenter + "?center=" + encodeURIComponent(node.ref) + "&depth=" + encodeURIComponent(data.depth));
  }

  // A group node stands for a hub's many relationships of one type: its URL is this view with the hub expanded.
  function expandUrl(node) {
    var expand = data.expand.concat([node.expand]).join(",");
    return withLang(data.recenter + "?center=" + encodeURIComponent(data.centerRef) + "&depth=" + encodeURIComponent(data.depth) +
      "&expand=" + encodeURIComponent(expand));
  }

  function showDetails(id) {
    var node = nodes.get(id);
    details.replaceChildren();
    details.appendChild(element("h2", node.name));
    var list = element("dl");
    node.facts.forEach(function (fact) {
      list.appendChild(element("dt", fact[0]));
      list.appendChild(element("dd", fact[1]));
    });
    if (node.source) {
      list.appendChild(element("dt", say("sourceTerm")));
      list.appendChild(element("dd", node.source));
    }
    (node.sources || []).forEach(function (pair) {
      list.appendChild(element("dt", say("sourceForTerm", { name: pair[0] })));
      list.appendChild(element("dd", pair[1]));
    });
    details.appendChild(list);
    var link = node.expand
      ? element("a", say("expand", { label: node.label }), "expand-link")
      : element("a", say("recenter", { name: node.name }), "recenter-link");
    link.href = node.expand ? expandUrl(node) : recenterUrl(node);
    details.appendChild(link);
  }

  function highlight(id) {
    var keep = {};
    keep[id] = true;
    network.getConnectedNodes(id).forEach(function (other) {
      keep[other] = true;
    });
    nodes.update(
      nodes.getIds().map(function (nodeId) {
        return { id: nodeId, color: keep[nodeId] ? baseColor[nodeId] : "rgba(190,190,190,0.35)" };
      })
    );
  }

  function clearHighlight() {
    nodes.update(
      nodes.getIds().map(function (nodeId) {
        return { id: nodeId, color: baseColor[nodeId] };
      })
    );
  }

  function select(id) {
    state.selected = id;
    network.selectNodes([id]);
    highlight(id);
    showDetails(id);
  }

  network.on("click", function (event) {
    var clicked = event.nodes.length ? nodes.get(event.nodes[0]) : null;
    if (clicked && clicked.expand && data.centerRef) {
      window.location.href = expandUrl(clicked); // the permalink with this hub drawn in full
    } else if (clicked) {
      select(event.nodes[0]);
    } else if (state.selected !== null) {
      state.selected = null;
      clearHighlight();
    }
  });

  // -- search within the view -------------------------------------------------------------------
  var status = document.getElementById("find-status");
  document.getElementById("find-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var key = fold(document.getElementById("find").value);
    if (!key) return;
    var all = nodes.get({ filter: function (node) { return !hiddenKinds[node.kind]; } });
    var exact = all.filter(function (node) { return fold(node.name) === key || fold(node.ref) === key; });
    var partial = all.filter(function (node) { return fold(node.name).indexOf(key) >= 0 || fold(node.ref).indexOf(key) >= 0; });
    var hit = exact[0] || partial[0];
    if (!hit) {
      status.textContent = say("noMatch");
      return;
    }
    status.textContent = partial.length > 1 ? say("matches", { count: partial.length, name: hit.name }) : "";
    select(hit.id);
    network.focus(hit.id, { scale: 1.2, animation: false });
  });

  // -- filter by kind --------------------------------------------------------------------------
  document.getElementById("kind-filter").addEventListener("change", function (event) {
    var box = event.target;
    if (box.type !== "checkbox") return;
    hiddenKinds[box.value] = !box.checked;
    nodeView.refresh();
  });
})();
