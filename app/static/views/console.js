// The Cypher console (/cypher): sends the query to POST /api/cypher in the page's language and
// shows the rows. Its words come from the page (#console-data), in the page's language. Values
// are set as textContent only, so text from the graph cannot inject markup.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("console-data").textContent);
  const text = data.text;
  const query = document.getElementById("query");
  const status = document.getElementById("status");
  const result = document.getElementById("result");
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  const show = (value) => (value === null ? "null" : typeof value === "object" ? JSON.stringify(value) : String(value));

  async function run() {
    status.className = "";
    status.textContent = text.running;
    result.replaceChildren();
    let response, body;
    try {
      response = await fetch(data.endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ query: query.value }),
      });
      body = await response.json();
    } catch (err) {
      status.className = "error";
      status.textContent = fill(text.noAnswer, { reason: String(err) });
      return;
    }
    if (!response.ok) {
      const e = body.error || {};
      status.className = "error";
      status.textContent =
        (e.status || response.status) + ": " + (e.message || text.error) + (e.expected ? " " + fill(text.expected, { expected: e.expected }) : "");
      return;
    }
    status.textContent =
      fill(body.row_count === 1 ? text.row : text.rows, { count: body.row_count, ms: body.elapsed_ms, backend: body.backend }) +
      (body.truncated ? " " + fill(text.cut, { limit: body.row_limit }) : "");
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    for (const column of body.columns) {
      const th = document.createElement("th");
      th.textContent = column;
      head.appendChild(th);
    }
    const tbody = table.createTBody();
    for (const row of body.rows) {
      const tr = tbody.insertRow();
      for (const value of row) tr.insertCell().textContent = show(value);
    }
    result.appendChild(table);
  }

  document.getElementById("run").addEventListener("click", run);
  query.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run();
  });
  document.getElementById("examples").addEventListener("change", (event) => {
    if (event.target.value) {
      query.value = event.target.value;
      event.target.value = "";
    }
  });
})();
