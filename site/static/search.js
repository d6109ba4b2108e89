// Client-side search over search.json (built with the site): every word must occur in
// the label, wording, number or type of a resource. Results are built as text nodes,
// never as markup, so nothing from the plans can become HTML here.
(function () {
  "use strict";
  const input = document.getElementById("search-q");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const form = document.getElementById("search-form");
  const LIMIT = 200;
  let index = null;

  function norm(text) {
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  async function load() {
    if (index === null) {
      const response = await fetch("search.json");
      if (!response.ok) throw new Error("search.json: HTTP " + response.status);
      index = (await response.json()).map((x) => ({ ...x, hay: norm([x.l, x.t, x.n, x.k].join(" ")) }));
    }
    return index;
  }

  function item(hit) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = hit.p;
    a.textContent = hit.l;
    li.append(a);
    const kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = " " + hit.k;
    li.append(kind);
    if (hit.t && hit.t !== hit.l) {
      const p = document.createElement("p");
      p.textContent = hit.t;
      li.append(p);
    }
    return li;
  }

  async function run(query) {
    const words = norm(query).split(/\s+/).filter(Boolean);
    list.replaceChildren();
    if (!words.length) {
      status.textContent = "";
      return;
    }
    status.textContent = "Searching…";
    try {
      const hits = (await load()).filter((x) => words.every((w) => x.hay.includes(w)));
      status.textContent =
        hits.length + (hits.length === 1 ? " result" : " results") +
        (hits.length > LIMIT ? ", the first " + LIMIT + " shown" : "");
      list.append(...hits.slice(0, LIMIT).map(item));
    } catch (err) {
      status.textContent = "The search index could not be loaded (" + err.message + ").";
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    window.history.replaceState(null, "", url);
    run(input.value);
  });
  const initial = new URLSearchParams(window.location.search).get("q") || "";
  input.value = initial;
  run(initial);
})();
