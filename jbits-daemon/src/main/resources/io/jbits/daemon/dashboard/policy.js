// The bandwidth policy (GET /v1/policy): the limits as written and in force, the background timetable as a week
// strip, and a form that changes them (PATCH /v1/policy).
"use strict";

(() => {
  const {api, el, say} = jbits;
  const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

  /** The days a token such as Mon, Mon-Fri or Sat,Sun names (indexes from Monday), or null when it names none. */
  function days(token) {
    const out = [];
    for (const part of token.split(",")) {
      const range = part.split("-").map(d => DAYS.findIndex(n => n.toLowerCase() === d.slice(0, 3).toLowerCase()));
      if (range.some(i => i < 0) || range.length > 2) {
        return null;
      }
      const [from, to] = range.length === 2 ? range : [range[0], range[0]];
      for (let d = from; ; d = (d + 1) % 7) {
        out.push(d);
        if (d === to) {
          break;
        }
      }
    }
    return out;
  }

  /** A timetable's entries over the week: [{minute of the week, rate text}], sorted; a plain RATE is one entry. */
  function entries(text) {
    const list = [];
    let on = [0, 1, 2, 3, 4, 5, 6];
    for (const token of (text || "off").trim().split(/\s+/)) {
      const m = /^(\d{1,2}):(\d{2}),(.+)$/.exec(token);
      if (m) {
        for (const d of on) {
          list.push({at: d * 1440 + Number(m[1]) * 60 + Number(m[2]), rate: m[3]});
        }
      } else if (days(token)) {
        on = days(token);
      } else {
        list.push({at: 0, rate: token});
      }
    }
    return list.sort((a, b) => a.at - b.at);
  }

  /** Draws the week: one row a day, each span coloured by its rate; a span runs until the next entry. */
  function week(text) {
    const strip = document.getElementById("week");
    const list = entries(text);
    const rates = [...new Set(list.map(e => e.rate))];
    const rows = DAYS.map((name, d) => {
      const spans = [];
      const start = d * 1440;
      const end = start + 1440;
      let current = list.filter(e => e.at <= start).pop() || list[list.length - 1];
      let from = start;
      for (const e of list.filter(x => x.at > start && x.at < end).concat([{at: end}])) {
        const width = ((e.at - from) / 1440) * 100;
        spans.push(el("span", {class: "span r" + rates.indexOf(current.rate), style: null,
          "data-width": width.toFixed(2), title: current.rate}, width > 8 ? current.rate : ""));
        current = e;
        from = e.at;
      }
      return el("div", {class: "day"}, el("span", {class: "day-name"}, name), el("span", {class: "spans"}, spans));
    });
    strip.replaceChildren(...rows);
    // Widths are set through the CSS object model: the page's policy allows no inline style attributes.
    for (const span of strip.querySelectorAll("[data-width]")) {
      span.style.width = span.getAttribute("data-width") + "%";
    }
    strip.setAttribute("aria-label", "Background limit through the week: " + (text || "off"));
  }

  function show(p) {
    document.getElementById("policy-limit").textContent = p.limit;
    document.getElementById("policy-bg").textContent = p.backgroundLimit;
    document.getElementById("policy-now").textContent = "all jobs " + p.limitNow + (p.limitWhy ? " (" + p.limitWhy
        + ")" : "") + "; background " + p.backgroundLimitNow + (p.backgroundWhy ? " (" + p.backgroundWhy + ")" : "")
        + (p.fileError ? "; the policy file cannot be used: " + p.fileError : "");
    const form = document.getElementById("policy-form");
    if (!form.contains(document.activeElement)) {
      form.limit.value = p.limit;
      form.backgroundLimit.value = p.backgroundLimit;
    }
    week(p.backgroundLimit);
    jbitsChart.limits(p);
  }

  async function load() {
    try {
      show(await api("GET", "/v1/policy"));
    } catch (e) {
      say("cannot read the policy: " + e.message, true);
    }
  }

  document.getElementById("policy-form").addEventListener("submit", async event => {
    event.preventDefault();
    const form = event.target;
    try {
      const p = await api("PATCH", "/v1/policy", {limit: form.limit.value.trim() || null,
        backgroundLimit: form.backgroundLimit.value.trim() || null});
      document.activeElement.blur();
      show(p);
      say("policy saved");
    } catch (e) {
      say("the policy was not changed: " + e.message, true);
    }
  });
  load();
  setInterval(load, 5000);
})();
