// One job's page: its properties, its error with the BITS code and what it means, its files, and its event
// history (GET /v1/events?job=ID from the start the service still holds), with the same actions as the table.
"use strict";

(() => {
  const {api, el, bytes, rate, duration, eta, say, actionsFor, act} = jbits;
  const id = new URLSearchParams(location.search).get("id");
  const path = "/v1/jobs/" + encodeURIComponent(id || "");
  let job = null;

  function facts(target, pairs) {
    target.replaceChildren(...pairs.filter(p => p[1] !== null && p[1] !== undefined && p[1] !== "")
        .flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
  }

  function show(j) {
    job = j;
    document.title = (j.name || j.id) + " – jbits dashboard";
    document.getElementById("job-title").textContent = j.name || j.id;
    const known = j.bytesTotal > 0;
    facts(document.getElementById("job-facts"), [
      ["Id", j.id], ["State", j.state], ["Type", j.type], ["Priority", j.priority],
      ["Progress", el("span", {}, el("progress", {max: known ? j.bytesTotal : null,
        value: known ? j.bytesTransferred : null, "aria-label": "progress"}), " ",
      bytes(j.bytesTransferred) + " of " + bytes(j.bytesTotal) + ", " + j.filesTransferred + " of "
          + j.filesTotal + " files")],
      ["Rate", rate(j.bytesPerSecond)], ["Time left", duration(eta(j))], ["Held back", j.heldBack],
      ["Description", j.description], ["Created", j.created && new Date(j.created).toLocaleString()],
      ["Transferred", j.transferCompleted && new Date(j.transferCompleted).toLocaleString()],
      ["Errors so far", String(j.errorCount)]]);
    const actions = document.getElementById("job-actions");
    actions.replaceChildren(...actionsFor(j).map(([label, action]) => el("button", {type: "button",
      "data-action": action, onclick: async () => {
        const after = await act(j, action);
        if (after) {
          show(await api("GET", path));
        }
      }}, label)));
    const section = document.getElementById("job-error-section");
    section.hidden = !j.error;
    if (j.error) {
      const e = j.error;
      facts(document.getElementById("job-error"), [["Code", e.code + " " + e.symbol], ["Where", e.context],
        ["Message", e.message], ["HTTP status", e.httpStatus], ["File", e.fileIndex],
        ["Retried", e.transient ? "yes, jbits retries by itself" : "no, the job waits for you"]]);
    }
    document.querySelector("#files tbody").replaceChildren(...(j.files || []).map(f => el("tr", {},
        el("td", {}, String(f.index)), el("td", {class: "url"}, f.remoteUrl), el("td", {class: "url"}, f.localPath),
        el("td", {}, (f.completed ? "done, " : "") + bytes(f.bytesTransferred) + " of " + bytes(f.bytesTotal)))));
  }

  async function load() {
    try {
      show(await api("GET", path));
    } catch (e) {
      say("cannot show job " + id + ": " + e.message, true);
    }
  }

  function listen() {
    const events = document.getElementById("events");
    const source = new EventSource("/v1/events?after=0&job=" + encodeURIComponent(id));
    const onEvent = message => {
      const e = JSON.parse(message.data);
      const what = e.kind === "modified" ? e.change.toLowerCase() + " changed" : e.kind;
      const detail = e.error ? ": " + e.error.code + " " + e.error.symbol + " " + e.error.message
          : e.kind === "file-transferred" ? ": file " + e.fileIndex : "";
      events.prepend(el("li", {}, el("time", {datetime: e.time}, new Date(e.time).toLocaleTimeString()), " ",
          what + ", " + e.state + ", " + bytes(e.bytesTransferred) + detail));
      while (events.children.length > 500) {
        events.lastChild.remove();
      }
      if (job) {
        Object.assign(job, {state: e.state, bytesTransferred: e.bytesTransferred, bytesTotal: e.bytesTotal,
          bytesPerSecond: e.bytesPerSecond, filesTransferred: e.filesTransferred});
      }
    };
    for (const kind of ["modified", "transferred", "error", "file-transferred"]) {
      source.addEventListener(kind, onEvent);
    }
  }

  load();
  listen();
  setInterval(load, 2000);
})();
