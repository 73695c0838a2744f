// The bandwidth chart: every second, jbits' own rate split by foreground and background jobs (from the jobs the
// table holds, kept live by the event stream), the limits in force and the background governor's view (the
// competing traffic it sees, the queuing delay against its target; both from GET /v1/policy, read every second),
// drawn as plain SVG over the last 10 minutes: rates in the upper panel, the queuing delay in the lower one.
"use strict";

const jbitsChart = (() => {
  const WINDOW_MS = 10 * 60 * 1000;
  const W = 1000;
  const H = 260;
  /** The delay panel: from DELAY_TOP to DELAY_TOP + DELAY_H, under the rate panel. */
  const DELAY_TOP = 285;
  const DELAY_H = 70;
  const NS = "http://www.w3.org/2000/svg";
  const samples = [];
  let caps = {all: Infinity, background: Infinity};
  let governor = null;
  let latest = new Map();

  function svg(tag, attrs) {
    const node = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) {
      node.setAttribute(k, String(v));
    }
    return node;
  }

  /** Takes the jobs' rates now (called with the table's jobs whenever they change). */
  function sample(jobs) {
    latest = jobs;
  }

  function tick() {
    let fg = 0;
    let bg = 0;
    for (const j of latest.values()) {
      if (j.state === "TRANSFERRING" && j.bytesPerSecond > 0) {
        if (j.priority === "foreground") {
          fg += j.bytesPerSecond;
        } else {
          bg += j.bytesPerSecond;
        }
      }
    }
    const now = Date.now();
    const g = governor;
    samples.push({t: now, fg, bg, cap: caps.all, bgcap: caps.background,
      competing: g ? g.competingBytesPerSecond : NaN, qdelay: g ? g.queuingDelayMillis : NaN,
      target: g ? g.targetMillis : NaN});
    while (samples.length && samples[0].t < now - WINDOW_MS) {
      samples.shift();
    }
    draw(now);
  }

  function draw(now) {
    const chart = document.getElementById("chart");
    if (!chart) {
      return;
    }
    const finite = v => (isFinite(v) ? v : 0);
    const top = Math.max(64 * 1024, ...samples.map(s => Math.max(s.fg + s.bg, finite(s.cap), finite(s.bgcap),
        finite(s.competing)))) * 1.15;
    const delayTop = Math.max(10, ...samples.map(s => Math.max(finite(s.qdelay), 2 * finite(s.target)))) * 1.15;
    const x = t => ((t - (now - WINDOW_MS)) / WINDOW_MS) * W;
    const y = v => H - (v / top) * H;
    const yDelay = ms => DELAY_TOP + DELAY_H - (ms / delayTop) * DELAY_H;
    const line = (key, cls, stacked, scale = y) => {
      const pts = samples.filter(s => isFinite(s[key])).map(s => x(s.t).toFixed(1) + ","
          + scale(stacked ? s.fg + s.bg : s[key]).toFixed(1));
      return svg("polyline", {points: pts.join(" "), class: "line " + cls, fill: "none"});
    };
    const keep = [...chart.querySelectorAll("title, desc")];
    chart.replaceChildren(...keep);
    for (let i = 1; i < 4; i++) {
      chart.append(svg("line", {x1: 0, x2: W, y1: (H * i) / 4, y2: (H * i) / 4, class: "grid"}));
      const label = svg("text", {x: 4, y: (H * i) / 4 - 3, class: "axis"});
      label.textContent = jbits.rate(top * (4 - i) / 4) || "0";
      chart.append(label);
    }
    for (let m = 1; m < 10; m++) {
      chart.append(svg("line", {x1: (W * m) / 10, x2: (W * m) / 10, y1: 0, y2: H, class: "grid minor"}));
      const ago = svg("text", {x: (W * m) / 10 + 3, y: H - 4, class: "axis"});
      ago.textContent = "-" + (10 - m) + " min";
      chart.append(ago);
    }
    chart.append(svg("line", {x1: 0, x2: W, y1: DELAY_TOP, y2: DELAY_TOP, class: "grid"}),
        svg("line", {x1: 0, x2: W, y1: DELAY_TOP + DELAY_H, y2: DELAY_TOP + DELAY_H, class: "grid"}));
    const delayLabel = svg("text", {x: 4, y: DELAY_TOP + 14, class: "axis"});
    delayLabel.textContent = "queuing delay, up to " + Math.round(delayTop) + " ms";
    chart.append(delayLabel);
    // Background is drawn stacked on foreground: the top line is jbits' whole rate.
    chart.append(line("fg", "fg"), line("bg", "bg", true), line("cap", "cap"), line("bgcap", "bgcap"),
        line("competing", "competing"), line("target", "target", false, yDelay),
        line("qdelay", "qdelay", false, yDelay));
    chart.setAttribute("data-points", String(samples.length));
    const last = samples[samples.length - 1];
    if (last) {
      document.getElementById("chart-now").textContent = "Now: foreground " + (jbits.rate(last.fg) || "0")
          + ", background " + (jbits.rate(last.bg) || "0") + "; limits " + (isFinite(last.cap)
          ? jbits.rate(last.cap) : "none") + " for all, " + (isFinite(last.bgcap) ? jbits.rate(last.bgcap)
          : "none") + " for background; " + (isFinite(last.qdelay) ? "the governor sees competing traffic of "
          + (jbits.rate(last.competing) || "0") + " and a queuing delay of " + last.qdelay + " ms (target "
          + last.target + " ms)." : "the governor measures nothing now.");
    }
  }

  /** The limits in force now and the governor's view (absent when it measures nothing), from the policy's answer. */
  function limits(policy) {
    caps = {all: jbits.parseRate(policy.limitNow), background: jbits.parseRate(policy.backgroundLimitNow)};
    governor = policy.governor || null;
  }

  /** Reads the policy for the next sample: the governor's view changes every second. */
  async function poll() {
    try {
      limits(await jbits.api("GET", "/v1/policy"));
    } catch (e) {
      governor = null;   // the policy view says why; the chart draws no governor meanwhile
    }
  }

  setInterval(() => {
    tick();
    poll();
  }, 1000);
  return {sample, limits};
})();
