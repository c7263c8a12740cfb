// The live preview's client (served as /__livereload.js into every page): it listens to the
// server's build events and reloads, or swaps in place, the page when a build changed it.
(function () {
  var first = null;
  var here = location.pathname;
  // The build this page was served from: a build published between serving the page and
  // listening here would otherwise go unnoticed.
  var script = document.currentScript;
  var served = script ? script.getAttribute("data-build") : null;
  var source = new EventSource("/__livereload?path=" + encodeURIComponent(here));
  // Leaving the page (a link followed while a change builds: the server holds the next page
  // until the build is done): a reload now would cancel that navigation.
  window.addEventListener("beforeunload", function () { source.close(); });
  function reload() { source.close(); location.reload(); }
  // A script that runs (not a data block such as JSON-LD, which is only read).
  function runs(script) {
    var type = (script.getAttribute("type") || "").trim().toLowerCase();
    return script.getAttribute("src") !== "/__livereload.js" &&
      (type === "" || type === "module" || /(java|ecma)script/.test(type));
  }
  // A changed page whose <head> is the same and whose body runs no script of its own is
  // swapped in place: no stylesheet refetch, no re-layout from scratch, scroll kept.
  function swap() {
    fetch(location.href, { cache: "no-store" }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.text();
    }).then(function (html) {
      var next = new DOMParser().parseFromString(html, "text/html");
      var scripts = Array.prototype.filter.call(next.body.querySelectorAll("script"), runs);
      if (next.head.innerHTML !== document.head.innerHTML || scripts.length) { reload(); return; }
      document.body.replaceWith(next.body);
    }).catch(reload);
  }
  source.addEventListener("build", function (event) {
    var message = JSON.parse(event.data);
    if (first === null) {
      first = message.id;
      if (served && served !== message.id) { reload(); return; }
      document.documentElement.dataset.livereload = "on";
    }
    else if (message.id !== first && (message.paths === "*" || message.paths.indexOf(here) >= 0)) {
      first = message.id;
      if (message.paths === "*") { reload(); } else { swap(); }
    }
  });
})();
