/* LIFE ACT Knowledge Explorer home: suggestions while typing, from /api/search (same origin).
   The form also works without this script: it reloads the page with ?q=. */
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("search-results");
  // The words for each kind, in the page's language, come from the page (#home-data).
  var page = JSON.parse(document.getElementById("home-data").textContent);
  var kinds = page.kinds;
  var timer = null;
  var latest = 0;

  function withLang(url) {
    if (!page.lang) return url.replace(/\?$/, "");
    return url + (url.slice(-1) === "?" ? "" : "&") + "lang=" + encodeURIComponent(page.lang);
  }

  function viewUrl(hit) {
    if (hit.kind === "WorkPackage") return withLang("/views/work-packages/" + encodeURIComponent(hit.id.split(":")[1]) + "?");
    var center = hit.kind === "Municipality" || hit.kind === "Region" ? hit.name : hit.id;
    return withLang("/views/graph?center=" + encodeURIComponent(center) + "&depth=1");
  }

  function show(hits) {
    list.replaceChildren();
    hits.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = viewUrl(hit);
      link.textContent = hit.name;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = kinds[hit.kind] || hit.kind;
      item.appendChild(link);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(kind);
      list.appendChild(item);
    });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    var text = input.value.trim();
    if (!text) {
      show([]);
      return;
    }
    timer = setTimeout(function () {
      var ticket = ++latest;
      fetch("/api/search?limit=8&q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { data: [] }; })
        .then(function (body) { if (ticket === latest) show(body.data || []); })
        .catch(function () { /* the form still works by reloading */ });
    }, 150);
  });
})();
