// What every page of the jbits dashboard shares: calls to the service's REST API (the same routes as the CLI's,
// authorised by the dashboard's cookie), safe DOM building, and formats for bytes, rates and times.
"use strict";

const jbits = (() => {
  /** Calls the REST API; resolves with the parsed JSON body, rejects with the service's error message. */
  async function api(method, path, body) {
    const init = {method, credentials: "same-origin", headers: {}};
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch (e) {
      json = null;
    }
    if (!response.ok) {
      const why = json && json.message ? json.message : response.status + " " + response.statusText;
      const error = new Error(why);
      error.status = response.status;
      error.symbol = json && json.symbol;
      throw error;
    }
    return json;
  }

  /** An element with attributes (on* are listeners) and children (strings become text, never HTML). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) {
        continue;
      }
      if (k.startsWith("on")) {
        node.addEventListener(k.substring(2), v);
      } else if (k === "text") {
        node.textContent = v;
      } else {
        node.setAttribute(k, v === true ? "" : String(v));
      }
    }
    for (const c of children.flat()) {
      if (c !== null && c !== undefined) {
        node.append(c instanceof Node ? c : document.createTextNode(String(c)));
      }
    }
    return node;
  }

  const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

  function bytes(n) {
    if (n === null || n === undefined || n < 0) {
      return "?";
    }
    let i = 0;
    let v = n;
    while (v >= 1024 && i < UNITS.length - 1) {
      v /= 1024;
      i++;
    }
    return (i === 0 ? String(v) : v.toFixed(v < 10 ? 1 : 0)) + " " + UNITS[i];
  }

  function rate(bps) {
    return bps > 0 ? bytes(bps) + "/s" : "";
  }

  function duration(seconds) {
    if (!isFinite(seconds) || seconds < 0) {
      return "";
    }
    const s = Math.round(seconds);
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return Math.floor(s / 60) + " min " + (s % 60) + " s";
    }
    return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min";
  }

  /** Seconds left at the current rate, or NaN. */
  function eta(job) {
    if (job.bytesPerSecond > 0 && job.bytesTotal > 0) {
      return (job.bytesTotal - job.bytesTransferred) / job.bytesPerSecond;
    }
    return NaN;
  }

  /** Bytes per second of a RATE as the policy writes it (512k, 4M, 1.5G, 1000, off); Infinity for none. */
  function parseRate(text) {
    if (!text) {
      return Infinity;
    }
    const m = /^\s*([0-9.]+)\s*([kmg]?)/i.exec(text);
    if (!m) {
      return Infinity;
    }
    const scale = {"": 1, k: 1024, m: 1024 * 1024, g: 1024 * 1024 * 1024}[m[2].toLowerCase()];
    return parseFloat(m[1]) * scale;
  }

  /** Shows a message in the page's live status region (read out by screen readers). */
  function say(message, isError) {
    const status = document.getElementById("status");
    if (status) {
      status.textContent = message;
      status.classList.toggle("error", Boolean(isError));
    }
  }

  const STATES_FINAL = ["ACKNOWLEDGED", "CANCELLED"];
  const PRIORITIES = ["foreground", "high", "normal", "low"];

  /** The actions a job's state allows, as [label, route suffix]. */
  function actionsFor(job) {
    const a = [];
    if (STATES_FINAL.includes(job.state)) {
      return a;
    }
    if (job.state === "SUSPENDED" || job.state === "ERROR") {
      a.push(["Resume", "resume"]);
    } else if (job.state !== "TRANSFERRED") {
      a.push(["Suspend", "suspend"]);
    }
    if (job.state === "TRANSFERRED") {
      a.push(["Complete", "complete"]);
    }
    a.push(["Cancel", "cancel"]);
    return a;
  }

  /** Runs a state change of a job and reports it; resolves with the job after it. */
  async function act(job, action) {
    try {
      const after = await api("POST", "/v1/jobs/" + encodeURIComponent(job.id) + "/" + action);
      say((job.name || job.id) + ": " + action + " done, now " + after.state);
      return after;
    } catch (e) {
      say((job.name || job.id) + ": " + action + " refused: " + e.message, true);
      return null;
    }
  }

  return {api, el, bytes, rate, duration, eta, parseRate, say, actionsFor, act, PRIORITIES, STATES_FINAL};
})();
