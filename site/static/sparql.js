// The SPARQL page: the Yasqe editor, the Yasr results view and our own Run button, which
// sends the query to the Oxigraph worker (sparql-worker.js) instead of over HTTP.
(function () {
  "use strict";
  const status = document.getElementById("status");
  const runButton = document.getElementById("run");
  const examples = document.getElementById("examples");
  const base = document.querySelector('script[src$="static/sparql.js"]').src;
  const worker = new Worker(new URL("sparql-worker.js", base), { type: "module" });
  const yasqe = new Yasqe(document.getElementById("yasqe"), {
    value: "PREFIX wps: <https://w3id.org/wpsgraph/ontology#>\n\nSELECT (COUNT(?action) AS ?actions) WHERE {\n  ?action a wps:Action .\n}\n",
    persistenceId: null,
    showQueryButton: false,
    autocompleters: ["variables", "prefixes"], // the others ask a web service
    resizeable: true,
    createShareableLink: null,
    requestConfig: { endpoint: "" },
  });
  yasqe.getInputField().setAttribute("aria-label", "SPARQL query");
  const results = document.getElementById("yasr");
  const yasr = new Yasr(results, {
    persistenceId: null,
    prefixes: JSON.parse(results.dataset.prefixes || "{}"), // shown as prefix:name
  });
  let library = [];
  let next = 0;
  const pending = new Map();

  worker.onmessage = (event) => {
    const msg = event.data;
    if ("ready" in msg) {
      if (msg.ready) {
        status.textContent = "Ready: " + msg.size + " quads loaded.";
        runButton.disabled = false;
      } else {
        status.textContent = "The graph could not be loaded: " + msg.error;
      }
      return;
    }
    const done = pending.get(msg.id);
    pending.delete(msg.id);
    if (done) done(msg);
  };
  worker.onerror = (event) => {
    status.textContent = "The query engine failed to start: " + (event.message || "unknown error");
  };

  function accept(type) {
    return type === "CONSTRUCT" || type === "DESCRIBE" ? "text/turtle" : "application/sparql-results+json";
  }

  function run() {
    const query = yasqe.getValue();
    const contentType = accept(yasqe.getQueryType());
    const id = ++next;
    status.textContent = "Running…";
    runButton.disabled = true;
    pending.set(id, (msg) => {
      runButton.disabled = false;
      if (!msg.ok) {
        status.textContent = "Error: " + msg.error;
        yasr.setResponse({ error: { text: msg.error }, status: 400 });
        return;
      }
      const data = contentType === "text/turtle" ? msg.data : JSON.parse(msg.data);
      status.textContent = "Done in " + Math.round(msg.ms) + " ms.";
      yasr.setResponse({ data, contentType, status: 200, executionTime: msg.ms }, msg.ms);
    });
    worker.postMessage({ id, query, accept: contentType });
  }

  runButton.addEventListener("click", run);
  // Yasqe would send the query over HTTP (Ctrl+Enter): run it in the worker instead.
  yasqe.query = function () {
    run();
    return Promise.resolve();
  };

  fetch(new URL("../queries.json", base))
    .then((r) => r.json())
    .then((qs) => {
      library = qs;
      // sparql.html#query=NAME (the query pages link so) opens that library query
      const wanted = new URLSearchParams(location.hash.slice(1)).get("query");
      if (wanted && library.some((x) => x.name === wanted)) {
        examples.value = wanted;
        examples.dispatchEvent(new Event("change"));
      }
    })
    .catch(() => {
      examples.disabled = true;
    });
  examples.addEventListener("change", () => {
    const q = library.find((x) => x.name === examples.value);
    if (!q) return;
    let note = "";
    if (q.params.length) {
      note = "# Parameters left unbound here (bind them with VALUES): " + q.params.map((p) => "?" + p).join(", ") + "\n";
    }
    yasqe.setValue(note + q.query);
  });
})();
