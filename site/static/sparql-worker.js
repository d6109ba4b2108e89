// The in-browser SPARQL store: Oxigraph (WebAssembly) in a Web Worker, so that a long
// query never blocks the page. It loads the site's own N-Quads dump once, then answers
// {id, query, accept} messages with {id, ok, data | error}.
import init, * as oxigraph from "../vendor/oxigraph/web.js";

const ready = (async () => {
  await init();
  const store = new oxigraph.Store();
  const response = await fetch("../dumps/wpsgraph.nq");
  if (!response.ok) throw new Error("dumps/wpsgraph.nq: HTTP " + response.status);
  store.load(await response.text(), { format: "application/n-quads" });
  return store;
})();

ready.then(
  (store) => postMessage({ ready: true, size: store.size }),
  (err) => postMessage({ ready: false, error: String(err && err.message ? err.message : err) }),
);

onmessage = async (event) => {
  const { id, query, accept } = event.data;
  try {
    const store = await ready;
    const started = performance.now();
    const data = store.query(query, { use_default_graph_as_union: true, results_format: accept });
    postMessage({ id, ok: true, data, accept, ms: performance.now() - started });
  } catch (err) {
    postMessage({ id, ok: false, error: String(err && err.message ? err.message : err) });
  }
};
