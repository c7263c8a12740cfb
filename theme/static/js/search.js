// Site search on the search page (progressive enhancement: the page works without this).
// Loads Pagefind's index from the same origin (the form's data-pagefind address, which the
// build writes relative to the page, so it works at a domain root or under a subpath), runs
// the query in ?q= and searches again as the reader types. No inline script, no eval: a CSP
// of `script-src 'self' 'wasm-unsafe-eval'` is enough (Pagefind runs WebAssembly).
const form = document.querySelector("[data-search-form]");
const input = form && form.querySelector("input[name=q]");
const status = document.querySelector("[data-search-status]");
const list = document.querySelector("[data-search-results]");
const MAX_RESULTS = 20;
let pagefind = null;

function say(text) {
  status.textContent = text;
}

// A large site's index comes in shards (pagefind/shards.json lists them, relative to the
// bundle): each is merged in, with result URLs relative to the site's root like the first's.
async function engine() {
  if (!pagefind) {
    const bundle = new URL(form.dataset.pagefind, document.baseURI);
    const engine = await import(bundle.href);
    await engine.options({ excerptLength: 28 });
    const shards = await fetch(new URL("shards.json", bundle))
      .then((response) => (response.ok ? response.json() : { shards: [] }))
      .catch(() => ({ shards: [] }));
    const baseUrl = new URL("../", bundle).pathname;
    for (const shard of shards.shards || []) {
      await engine.mergeIndex(new URL(shard, bundle).pathname, { baseUrl, excerptLength: 28 });
    }
    engine.init();
    pagefind = engine;
  }
  return pagefind;
}

// Pagefind's excerpt is HTML with <mark> around matches: keep the text and the marks only.
function excerptNodes(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const nodes = [];
  for (const node of template.content.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      nodes.push(mark);
    } else {
      nodes.push(document.createTextNode(node.textContent));
    }
  }
  return nodes;
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "search-result";
  const kind = [data.meta.kind, data.meta.date].filter(Boolean).join(" · ");
  if (kind) {
    const label = document.createElement("p");
    label.className = "kicker";
    label.textContent = kind;
    item.append(label);
  }
  const heading = document.createElement("h2");
  heading.className = "search-result__title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  const excerpt = document.createElement("p");
  excerpt.className = "search-result__excerpt";
  excerpt.append(...excerptNodes(data.excerpt || ""));
  item.append(heading, excerpt);
  return item;
}

async function run(query, { remember = true } = {}) {
  query = query.trim();
  if (remember) {
    const url = new URL(location.href);
    if (query) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    history.replaceState(null, "", url);
  }
  if (!query) {
    list.replaceChildren();
    say("");
    return;
  }
  say("Searching…");
  try {
    const search = await (await engine()).debouncedSearch(query, {}, 200);
    if (search === null) return; // a newer query replaced this one
    const results = await Promise.all(
      search.results.slice(0, MAX_RESULTS).map((result) => result.data()),
    );
    if (input.value.trim() !== query) return;
    list.replaceChildren(...results.map(resultItem));
    const total = search.results.length;
    const shown = total > MAX_RESULTS ? ` (showing the first ${MAX_RESULTS})` : "";
    say(
      total
        ? `${total} ${total === 1 ? "result" : "results"} for “${query}”${shown}.`
        : `No results for “${query}”. Try another word, or browse below.`,
    );
  } catch (error) {
    list.replaceChildren();
    say("Search is not available right now. Browse the site from the links below.");
    console.warn("search:", error);
  }
}

if (form && input && status && list) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(input.value);
  });
  input.addEventListener("input", () => run(input.value));
  const initial = new URLSearchParams(location.search).get("q") || "";
  if (initial) {
    input.value = initial;
    run(initial, { remember: false });
  }
}
