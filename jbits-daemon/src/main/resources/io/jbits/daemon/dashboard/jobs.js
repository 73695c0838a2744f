// The jobs table: the list from GET /v1/jobs, kept live by the event stream (GET /v1/events) and refreshed every
// two seconds for what events do not carry (why a job is held back); filter, search, actions and the add form.
"use strict";

(() => {
  const {api, el, bytes, rate, duration, eta, say, actionsFor, act, PRIORITIES} = jbits;
  const jobs = new Map();
  const tbody = document.querySelector("#job-table tbody");
  const search = document.getElementById("search");
  const filter = document.getElementById("state-filter");
  const ACTIVE = ["QUEUED", "CONNECTING", "TRANSFERRING"];

  function shown(job) {
    const f = filter.value;
    const byState = f === "all" ? true
        : f === "active" ? ACTIVE.includes(job.state)
        : f === "errors" ? job.state === "ERROR" || job.state === "TRANSIENT_ERROR"
        : f === "final" ? jbits.STATES_FINAL.includes(job.state)
        : job.state === f;
    const q = search.value.trim().toLowerCase();
    const text = [job.name, job.id, job.description].concat((job.files || []).map(x => x.remoteUrl))
        .join(" ").toLowerCase();
    return byState && (!q || text.includes(q));
  }

  function progress(job) {
    const known = job.bytesTotal > 0;
    const pct = known ? Math.floor(100 * job.bytesTransferred / job.bytesTotal) : 0;
    const label = known ? pct + "% of " + bytes(job.bytesTotal) : bytes(job.bytesTransferred) + " so far";
    return el("div", {class: "progress-cell"},
        el("progress", {max: known ? job.bytesTotal : null, value: known ? job.bytesTransferred : null,
          "aria-label": "progress of " + (job.name || job.id), "data-job": job.id}),
        el("span", {class: "progress-text"}, label));
  }

  async function replace(job, promise) {
    const after = await promise;
    if (after) {
      jobs.set(after.id, after);
      render();
    }
  }

  function controls(job) {
    const name = job.name || job.id;
    const buttons = actionsFor(job).map(([label, action]) => el("button", {type: "button", class: action,
      "data-action": action, "aria-label": label + " " + name, onclick: () => replace(job, act(job, action))},
    label));
    if (jbits.STATES_FINAL.includes(job.state)) {
      return el("div", {class: "actions"}, buttons);
    }
    const priority = el("select", {"aria-label": "priority of " + name, class: "priority",
      onchange: e => replace(job, api("PATCH", "/v1/jobs/" + encodeURIComponent(job.id),
          {priority: e.target.value}).catch(err => say(name + ": " + err.message, true)))},
    PRIORITIES.map(p => el("option", {value: p, selected: p === job.priority}, p)));
    const cap = el("input", {type: "text", size: 6, "aria-label": "rate cap of " + name + " (e.g. 512k, off)",
      placeholder: "cap", value: capText(job)});
    const setCap = el("button", {type: "button", "aria-label": "set the rate cap of " + name, onclick: () => {
      const text = cap.value.trim();
      const bps = text === "" || text === "off" ? -1 : Math.round(jbits.parseRate(text));
      if (!isFinite(bps)) {
        say(name + ": '" + text + "' is not a rate (512k, 4M, off)", true);
        return;
      }
      replace(job, api("PUT", "/v1/jobs/" + encodeURIComponent(job.id) + "/max-rate", {bytesPerSecond: bps})
          .then(j => {
            say(name + ": cap " + (bps < 0 ? "removed" : "set to " + rate(bps)));
            return j;
          }).catch(err => say(name + ": " + err.message, true)));
    }}, "Cap");
    return el("div", {class: "actions"}, buttons, priority, cap, setCap);
  }

  function capText(job) {
    const bps = job.options && job.options["rate.max"];
    return typeof bps === "number" && bps > 0 ? Math.round(bps / 1024) + "k" : "";
  }

  function row(job) {
    const name = job.name || job.id;
    return el("tr", {"data-job": job.id, "data-state": job.state},
        el("td", {"data-label": "Name"}, el("a", {href: "job.html?id=" + encodeURIComponent(job.id)}, name)),
        el("td", {"data-label": "State"}, el("span", {class: "state " + job.state.toLowerCase()}, job.state)),
        el("td", {"data-label": "Priority"}, job.priority),
        el("td", {"data-label": "Progress"}, progress(job)),
        el("td", {"data-label": "Rate", class: "rate"}, rate(job.bytesPerSecond)),
        el("td", {"data-label": "ETA"}, duration(eta(job))),
        el("td", {"data-label": "Held back", class: "held"}, heldBack(job)),
        el("td", {"data-label": "Actions"}, controls(job)));
  }

  /** Why the job waits: the service's reason (a cap, the schedule, competing traffic, "retry in N s"). */
  function heldBack(job) {
    if (job.state === "TRANSIENT_ERROR" && job.error) {
      return (job.heldBack || "retrying") + ": " + job.error.message;
    }
    return job.heldBack || "";
  }

  /** The rows drawn so far by job id, with what they show: a row is rebuilt only when that changes. */
  const drawn = new Map();

  function rowFor(job) {
    const key = JSON.stringify([job.name, job.state, job.priority, job.bytesTotal, job.bytesTransferred,
      job.bytesPerSecond, job.heldBack, job.error && job.error.message, capText(job)]);
    const old = drawn.get(job.id);
    if (old && old.key === key) {
      return old.tr;
    }
    const tr = row(job);
    drawn.set(job.id, {key, tr});
    return tr;
  }

  function render() {
    const focused = document.activeElement && document.activeElement.closest("tr[data-job]");
    const keep = focused ? [focused.getAttribute("data-job"), document.activeElement.getAttribute("aria-label")]
        : null;
    const rows = [...jobs.values()].filter(shown).map(rowFor);
    // Rows already in place stay in the document untouched, so focus and selection in them survive a refresh.
    rows.forEach((tr, i) => {
      if (tbody.children[i] !== tr) {
        tbody.insertBefore(tr, tbody.children[i] || null);
      }
    });
    while (tbody.children.length > rows.length) {
      tbody.lastElementChild.remove();
    }
    for (const id of [...drawn.keys()]) {
      if (!jobs.has(id)) {
        drawn.delete(id);
      }
    }
    document.getElementById("no-jobs").hidden = rows.length > 0;
    if (keep && !document.activeElement.closest("tr[data-job]")) {
      // The focused row was rebuilt; keyboard focus goes back to the same control of the same job.
      const again = [...tbody.querySelectorAll("tr[data-job]")].find(r => r.getAttribute("data-job") === keep[0]);
      const control = again && [...again.querySelectorAll("[aria-label]")]
          .find(c => c.getAttribute("aria-label") === keep[1]);
      if (control) {
        control.focus();
      }
    }
  }

  async function refresh() {
    try {
      const list = await api("GET", "/v1/jobs?all=true&files=false");
      jobs.clear();
      for (const j of list) {
        jobs.set(j.id, j);
      }
      const editing = document.activeElement && document.activeElement.matches("#job-table input");
      if (!editing) {
        render();
      }
      jbitsChart.sample(jobs);
    } catch (e) {
      say("cannot list the jobs: " + e.message, true);
    }
  }

  function listen() {
    const live = document.getElementById("live");
    const source = new EventSource("/v1/events");
    source.onopen = () => {
      live.textContent = "live";
      live.dataset.state = "live";
    };
    source.onerror = () => {
      live.textContent = "reconnecting…";
      live.dataset.state = "reconnecting";
    };
    const onEvent = message => {
      const e = JSON.parse(message.data);
      const job = jobs.get(e.jobId);
      if (!job) {
        refresh();
        return;
      }
      Object.assign(job, {state: e.state, bytesTotal: e.bytesTotal, bytesTransferred: e.bytesTransferred,
        filesTotal: e.filesTotal, filesTransferred: e.filesTransferred, bytesPerSecond: e.bytesPerSecond});
      if (e.error) {
        job.error = e.error;
      }
      const editing = document.activeElement && document.activeElement.matches("#job-table input");
      if (!editing) {
        render();
      }
    };
    for (const kind of ["modified", "transferred", "error", "file-transferred"]) {
      source.addEventListener(kind, onEvent);
    }
  }

  async function add(event) {
    event.preventDefault();
    const form = event.target;
    const urls = form.urls.value.split(/\s+/).map(u => u.trim()).filter(Boolean);
    const dest = form.dest.value.trim().replace(/\/+$/, "");
    if (!dest.startsWith("/")) {
      say("the destination must be an absolute folder, such as /home/me/Downloads", true);
      form.dest.focus();
      return;
    }
    let files;
    try {
      files = urls.map(u => {
        const last = decodeURIComponent(new URL(u).pathname.split("/").pop() || "index.html");
        return {remoteUrl: u, localPath: dest + "/" + last};
      });
    } catch (e) {
      say("not a URL: " + e.message, true);
      form.urls.focus();
      return;
    }
    const name = form.name.value.trim() || (urls.length === 1 ? files[0].localPath.split("/").pop()
        : urls.length + " files");
    try {
      const job = await api("POST", "/v1/jobs", {name, type: "download", priority: form.priority.value});
      try {
        await api("POST", "/v1/jobs/" + encodeURIComponent(job.id) + "/file-set", {files});
        const running = await api("POST", "/v1/jobs/" + encodeURIComponent(job.id) + "/resume");
        jobs.set(running.id, running);
        render();
        say("added '" + name + "' with " + files.length + " file" + (files.length === 1 ? "" : "s"));
        form.urls.value = "";
      } catch (e) {
        await api("POST", "/v1/jobs/" + encodeURIComponent(job.id) + "/cancel").catch(() => null);
        throw e;
      }
    } catch (e) {
      say("cannot add the download: " + e.message, true);
    }
  }

  search.addEventListener("input", render);
  filter.addEventListener("change", render);
  document.getElementById("add-form").addEventListener("submit", add);
  refresh();
  listen();
  setInterval(refresh, 2000);
})();
