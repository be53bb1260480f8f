// The language switch above /docs and /redoc (app/api/docs.py): Swagger UI and ReDoc keep the
// reader's place in the #fragment, which the server never sees, so it is added to the link here
// as it is followed. A file rather than an inline script: the docs pages' policy forbids those.
(function () {
  "use strict";
  document.querySelectorAll("a[data-role='language']").forEach(function (link) {
    link.addEventListener("click", function () {
      link.hash = window.location.hash;
    });
  });
})();
