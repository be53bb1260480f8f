// The spread of a solution: the slider replays its adoptions on the map, recolouring the
// municipalities the server drew. Names go in as text (textContent), never as markup.
(function () {
  "use strict";
  var block = document.getElementById("spread-data");
  var slider = document.getElementById("spread-slider");
  var output = document.getElementById("spread-date");
  if (!block || !slider) { return; }
  var data = JSON.parse(block.textContent);
  var developers = new Set(data.developers);
  var shapes = document.querySelectorAll("#spread-map path.municipality");

  function stateAsOf(day) {
    var state = {};
    data.events.forEach(function (event) {  // sorted by date: the latest event on or before `day` wins
      if (event.date <= day) { state[event.code] = event; }
    });
    return state;
  }

  function draw(index) {
    var day = data.dates[index];
    if (day === undefined) { return; }
    var state = stateAsOf(day);
    shapes.forEach(function (shape) {
      var code = Number(shape.getAttribute("data-code"));
      var event = state[code];
      var status = event ? event.status : (developers.has(code) ? "developed" : "none");
      shape.setAttribute("fill", data.colors[status]);
      var note = data.labels[status] + (event ? " (" + event.date + ")" : "");
      var title = shape.querySelector("title");
      if (title) { title.textContent = shape.getAttribute("data-name") + ": " + note; }
    });
    output.textContent = day;
    document.getElementById("spread-map").setAttribute("data-as-of", day);
  }

  slider.addEventListener("input", function () { draw(Number(slider.value)); });
  draw(Number(slider.value));
})();
