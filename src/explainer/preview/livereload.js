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
      showError(lastError);
    }).catch(reload);
  }
  // A failed build: what broke (file and problem) over the last good page, as `hugo server`
  // does; gone with the next build that succeeds. Styled through the CSSOM, which a strict
  // Content-Security-Policy (no inline styles) allows.
  var OVERLAY_ID = "livereload-build-error";
  var lastError = null;
  function showError(error) {
    lastError = error;
    var box = document.getElementById(OVERLAY_ID);
    if (!error) { if (box) { box.remove(); } return; }
    if (!box) {
      box = document.createElement("div");
      box.id = OVERLAY_ID;
      box.setAttribute("role", "alert");
      Object.assign(box.style, {
        position: "fixed", left: "0", right: "0", bottom: "0", zIndex: "2147483647",
        maxHeight: "60vh", overflow: "auto", margin: "0", padding: "1rem 1.25rem",
        background: "#2b0d0d", color: "#fff", borderTop: "4px solid #e5484d",
        font: "14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
        whiteSpace: "pre-wrap", boxShadow: "0 -4px 16px rgba(0,0,0,.4)"
      });
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("strong");
    title.textContent = "Build failed: " + error.message + " (showing the last good version)";
    box.appendChild(title);
    (error.problems || []).forEach(function (problem) {
      var line = document.createElement("div");
      line.className = "livereload-problem";
      line.textContent = problem;
      box.appendChild(line);
    });
  }
  source.addEventListener("build", function (event) {
    var message = JSON.parse(event.data);
    showError(message.error || null);
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
