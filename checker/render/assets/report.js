/* treaty-checker HTML report: draws the timeline, the filters and the explanations from the
   JSON in script#report-data (docs/html-report.md describes it). No library, no network.
   Only what is visible is drawn: the duty list is virtual, and the events of a lane are
   gathered into clusters where they would overlap. */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  var DAY_MS = 86400000;
  var LAST_ISO_DAY = 2932896;            // 9999-12-31, counted from 1970-01-01
  var ROW_H = 24, LANE_H = 22, MARK_PX = 15;
  var STATUSES = ["breached", "late", "pending", "discharged", "fulfilled", "complied", "not_fired"];
  var LABEL = {fulfilled: "fulfilled", late: "late", breached: "breached", pending: "pending",
               discharged: "discharged", complied: "complied", not_fired: "not fired"};
  var COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#e15759", "#76b7b2", "#edc948",
                 "#9c755f", "#ff9da7", "#bab0ac", "#1b6ca8", "#8f2d56"];
  var SHAPES = ["circle", "square", "diamond", "triangle", "down", "hexagon", "star", "cross"];

  // ---- small helpers ----------------------------------------------------------------------
  function esc(value) {
    return String(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }
  function iso(day) {
    if (day === null || day === undefined) return null;
    if (day > LAST_ISO_DAY) return "9999-12-31+" + (day - LAST_ISO_DAY) + "d";
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }
  function show(day) { var s = iso(day); return s === null ? "—" : s; }
  function $(selector, root) { return (root || document).querySelector(selector); }
  function el(tag, cls, html) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (html !== undefined) node.innerHTML = html;
    return node;
  }
  function lowerBound(arr, value) {
    var lo = 0, hi = arr.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (arr[mid] < value) lo = mid + 1; else hi = mid; }
    return lo;
  }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function shapePath(shape, x, y, r) {
    var p = function (pts) { return "M" + pts.map(function (q) { return (x + q[0] * r).toFixed(1) + " " + (y + q[1] * r).toFixed(1); }).join("L") + "Z"; };
    switch (shape) {
      case "circle": return "M" + (x - r).toFixed(1) + " " + y + "a" + r + " " + r + " 0 1 0 " + 2 * r + " 0a" + r + " " + r + " 0 1 0 " + -2 * r + " 0Z";
      case "square": return p([[-0.85, -0.85], [0.85, -0.85], [0.85, 0.85], [-0.85, 0.85]]);
      case "diamond": return p([[0, -1.15], [1.05, 0], [0, 1.15], [-1.05, 0]]);
      case "triangle": return p([[0, -1.1], [1.05, 0.85], [-1.05, 0.85]]);
      case "down": return p([[0, 1.1], [1.05, -0.85], [-1.05, -0.85]]);
      case "hexagon": return p([[-0.5, -0.95], [0.5, -0.95], [1, 0], [0.5, 0.95], [-0.5, 0.95], [-1, 0]]);
      case "star": return p([[0, -1.2], [0.3, -0.4], [1.15, -0.35], [0.5, 0.2], [0.7, 1.05], [0, 0.55], [-0.7, 1.05], [-0.5, 0.2], [-1.15, -0.35], [-0.3, -0.4]]);
      default: return p([[-0.35, -1], [0.35, -1], [0.35, -0.35], [1, -0.35], [1, 0.35], [0.35, 0.35], [0.35, 1], [-0.35, 1], [-0.35, 0.35], [-1, 0.35], [-1, -0.35], [-0.35, -0.35]]);
    }
  }
  function typeStyle(typeIndex) {
    var i = Math.max(typeIndex, 0);
    return {shape: SHAPES[i % SHAPES.length], colour: COLOURS[i % COLOURS.length]};
  }
  function badge(row) {
    if (row.possible.length > 1) {
      return '<span class="badge possible" title="possible statuses: ' + esc(row.possible.map(function (s) { return LABEL[s]; }).join(", ")) +
        '">possibly ' + esc(row.possible.map(function (s) { return LABEL[s]; }).join(" | ")) + "</span>";
    }
    return '<span class="badge st-' + row.status + '">' + esc(LABEL[row.status] || row.status) + "</span>";
  }

  // ---- the data, unpacked -----------------------------------------------------------------
  function decodeSection(raw, si) {
    var w = raw.words, types = raw.event_types;
    var events = raw.events.map(function (r, i) {
      return {index: i, id: r[0], type: r[1] >= 0 ? types[r[1]].name : "?", typeIndex: r[1], day: r[2],
              last: r[3], line: r[4], lanes: r[5], flags: r[6], says: r[7]};
    });
    function evId(v) { return v === null ? null : typeof v === "number" ? events[v].id : v; }
    function evAt(v) { return typeof v === "number" ? events[v] : null; }
    var variants = raw.variants.map(function (v, vi) {
      var obligations = v.obligations.map(function (r, i) {
        var provision = w[r[0]], holder = w[r[1]], trigger = evId(r[2]);
        return {kind: "duty", index: i, id: r.length > 14 ? r[14] : provision + "/" + holder + (trigger === null ? "" : "/" + trigger),
                provision: provision, holder: holder, trigger: trigger, triggerEvent: evAt(r[2]), dutyKind: w[r[3]],
                fired_on: r[4], deadline: r[5], status: w[r[6]], certainty: w[r[7]],
                possible: r[8] === 0 ? [w[r[6]]] : r[8].map(function (x) { return w[x]; }),
                met_by: evId(r[9]), metEvent: evAt(r[9]), breached_on: r[10], breached_by: evId(r[11]),
                breachEvent: evAt(r[11]), discharged_by: evId(r[12]), discharged_on: r[13], day: r[4]};
      });
      var notFired = v.not_fired.map(function (r, i) {
        var provision = w[r[0]], holder = w[r[1]], trigger = evId(r[2]), te = evAt(r[2]);
        return {kind: "not_fired", index: i, id: r.length > 5 ? r[5] : provision + "/" + holder + (trigger === null ? "" : "/" + trigger),
                provision: provision, holder: holder, trigger: trigger, triggerEvent: te,
                blocked_by: r[3].map(function (x) { return w[x]; }), certainty: w[r[4]], status: "not_fired",
                possible: ["not_fired"], day: te ? te.day : null};
      });
      return {raw: v, index: vi, obligations: obligations, notFired: notFired, rows: mergeRows(obligations, notFired)};
    });
    var laneEvents = raw.lanes.map(function () { return []; });
    events.forEach(function (e) { e.lanes.forEach(function (l) { laneEvents[l].push(e); }); });
    laneEvents.forEach(function (list) { list.sort(function (a, b) { return a.day - b.day || a.index - b.index; }); });
    var sec = {si: si, raw: raw, events: events, variants: variants, variantIndex: raw.selected,
               laneEvents: laneEvents, laneDays: laneEvents.map(function (list) { return Float64Array.from(list, function (e) { return e.day; }); }),
               longestRange: events.reduce(function (m, e) { return e.last === null ? m : Math.max(m, e.last - e.day); }, 0),
               filtered: [], active: -1, view: null, width: 0, el: {}};
    sec.extent = extent(sec);
    return sec;
  }

  // duties in the report's order (by fired day), with each not-fired duty at its trigger's day
  function mergeRows(obligations, notFired) {
    var nf = notFired.slice().sort(function (a, b) {
      var da = a.day === null ? Infinity : a.day, db = b.day === null ? Infinity : b.day;
      return da - db || a.index - b.index;
    });
    var out = [], j = 0;
    obligations.forEach(function (o) {
      while (j < nf.length && nf[j].day !== null && nf[j].day < o.day) out.push(nf[j++]);
      out.push(o);
    });
    while (j < nf.length) out.push(nf[j++]);
    return out;
  }

  function variant(sec) { return sec.variants[sec.variantIndex]; }

  function extent(sec) {
    var lo = Infinity, hi = -Infinity, focusLo = Infinity, focusHi = -Infinity;
    function see(d, focus) {
      if (d === null || d === undefined) return;
      if (d < lo) lo = d;
      if (d > hi) hi = d;
      if (focus) { if (d < focusLo) focusLo = d; if (d > focusHi) focusHi = d; }
    }
    sec.events.forEach(function (e) { see(e.day, true); see(e.last, true); });
    see(sec.raw.in_force_from, false);
    sec.variants.forEach(function (v) {
      see(v.raw.as_of, true);
      v.obligations.forEach(function (o) {
        var standing = o.trigger === null;
        see(o.fired_on, !standing); see(o.deadline, !standing); see(o.breached_on, true); see(o.discharged_on, true);
      });
    });
    if (lo === Infinity) { lo = 0; hi = 1; }
    if (focusLo === Infinity) { focusLo = lo; focusHi = hi; }
    function padded(a, b) {
      var span = Math.max(b + 1 - a, 10), pad = Math.max(1, span * 0.04);
      var mid = (a + b + 1) / 2;
      return {start: Math.min(a, mid - span / 2) - pad, end: Math.max(b + 1, mid + span / 2) + pad};
    }
    return {all: padded(lo, hi), focus: padded(focusLo, focusHi)};
  }

  var sections = DATA.sections.map(decodeSection);
  var sharedView = null;
  sections.forEach(function (sec) {
    if (DATA.shared_axis) {
      if (!sharedView) {
        sharedView = {start: Infinity, end: -Infinity, all: {start: Infinity, end: -Infinity}};
      }
      sharedView.start = Math.min(sharedView.start, sec.extent.focus.start);
      sharedView.end = Math.max(sharedView.end, sec.extent.focus.end);
      sharedView.all.start = Math.min(sharedView.all.start, sec.extent.all.start);
      sharedView.all.end = Math.max(sharedView.all.end, sec.extent.all.end);
      sharedView.focus = {start: sharedView.start, end: sharedView.end};
      sec.view = sharedView;
    } else {
      sec.view = {start: sec.extent.focus.start, end: sec.extent.focus.end, all: sec.extent.all, focus: sec.extent.focus};
    }
  });

  // ---- filters ----------------------------------------------------------------------------
  var filters = {party: "", provision: "", search: "", statuses: {}};
  STATUSES.forEach(function (s) { filters.statuses[s] = true; });

  function matches(row) {
    if (filters.party && row.holder !== filters.party) return false;
    if (filters.provision && row.provision !== filters.provision) return false;
    if (filters.search && row.id.toLowerCase().indexOf(filters.search) < 0) return false;
    for (var i = 0; i < row.possible.length; i++) if (filters.statuses[row.possible[i]]) return true;
    return false;
  }

  function applyFilters(sec) {
    var activeRow = sec.active >= 0 ? sec.filtered[sec.active] : null;
    sec.filtered = variant(sec).rows.filter(matches);
    sec.active = activeRow ? sec.filtered.indexOf(activeRow) : -1;
    if (sec.active < 0 && activeRow) {   // the same duty under another reading
      for (var i = 0; i < sec.filtered.length; i++) if (sec.filtered[i].id === activeRow.id) { sec.active = i; break; }
    }
  }

  // ---- the page -----------------------------------------------------------------------------
  var app = document.getElementById("app");
  var defs = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  defs.setAttribute("width", "0"); defs.setAttribute("height", "0"); defs.setAttribute("aria-hidden", "true");
  defs.style.position = "absolute";
  defs.innerHTML = '<defs><pattern id="hatch-overdue" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">' +
    '<rect width="5" height="5" fill="#fff3e0"/><line x1="0" y1="0" x2="0" y2="5" stroke="#e65100" stroke-width="2"/></pattern>' +
    '<pattern id="hatch-uncovered" width="7" height="7" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">' +
    '<rect width="7" height="7" fill="#f6f8fa"/><line x1="0" y1="0" x2="0" y2="7" stroke="#d8dee4" stroke-width="2"/></pattern>' +
    '<linearGradient id="open-fade" x1="0" x2="1" y1="0" y2="0"><stop offset="0" stop-color="#888" stop-opacity=".55"/>' +
    '<stop offset="1" stop-color="#888" stop-opacity="0"/></linearGradient></defs>';
  document.body.appendChild(defs);
  var stripes = {};
  function stripeFill(statuses) {
    var key = "stripes-" + statuses.join("-");
    if (!stripes[key]) {
      var n = statuses.length, wdt = 5;
      var rects = statuses.map(function (s, i) { return '<rect class="f-' + s + '" x="' + i * wdt + '" width="' + wdt + '" height="' + n * wdt + '"/>'; }).join("");
      var pattern = document.createElementNS("http://www.w3.org/2000/svg", "pattern");
      pattern.setAttribute("id", key); pattern.setAttribute("width", String(n * wdt)); pattern.setAttribute("height", String(n * wdt));
      pattern.setAttribute("patternUnits", "userSpaceOnUse"); pattern.setAttribute("patternTransform", "rotate(45)");
      pattern.innerHTML = rects;
      defs.firstChild.appendChild(pattern);
      stripes[key] = true;
    }
    return "url(#" + key + ")";
  }

  function buildPage() {
    var head = el("header", "page-head");
    head.appendChild(el("h1", "", esc(DATA.title)));
    head.appendChild(el("p", "", "Compliance report: " + plural(sections.length, "timeline") +
      (DATA.shared_axis ? " on one date axis" : "") + ". Hover a bar or an event for its dates; click it, or press Enter on a duty, for its explanation."));
    app.appendChild(head);
    app.appendChild(buildToolbar());
    sections.forEach(function (sec) { app.appendChild(buildSection(sec)); });
  }

  function buildToolbar() {
    var bar = el("div", "toolbar");
    bar.setAttribute("role", "search");
    var parties = {}, provisions = {};
    sections.forEach(function (sec) {
      sec.raw.lanes.forEach(function (p) { if (p) parties[p] = true; });
      sec.variants.forEach(function (v) {
        v.rows.forEach(function (r) { parties[r.holder] = true; provisions[r.provision] = sec.raw.provisions[r.provision] || {}; });
      });
    });
    var partyOptions = Object.keys(parties).sort().map(function (p) { return '<option value="' + esc(p) + '">' + esc(p) + "</option>"; }).join("");
    var provisionOptions = Object.keys(provisions).sort().map(function (p) {
      var title = provisions[p].title;
      return '<option value="' + esc(p) + '">' + esc(p) + (title ? " — " + esc(title) : "") + "</option>";
    }).join("");
    var statusBoxes = STATUSES.map(function (s) {
      return '<label class="st-check"><input type="checkbox" name="status" value="' + s + '" checked>' +
        '<span class="badge st-' + s + '">' + LABEL[s] + "</span></label>";
    }).join("");
    bar.innerHTML =
      '<label>Search <input type="search" id="f-search" placeholder="duty id, e.g. part of it (press /)" aria-label="Search the duty ids"></label>' +
      '<label>Party <select id="f-party"><option value="">all parties</option>' + partyOptions + "</select></label>" +
      '<label>Provision <select id="f-provision"><option value="">all provisions</option>' + provisionOptions + "</select></label>" +
      '<fieldset id="f-status"><legend>Status</legend>' + statusBoxes + "</fieldset>" +
      '<button type="button" id="f-reset">Show all</button>' +
      '<span class="hint">Zoom: wheel on the dates, ctrl+wheel, + and −; pan: drag, shift+wheel, ← →</span>';
    var timer = null;
    function changed() {
      filters.search = $("#f-search", bar).value.trim().toLowerCase();
      filters.party = $("#f-party", bar).value;
      filters.provision = $("#f-provision", bar).value;
      bar.querySelectorAll("#f-status input").forEach(function (box) { filters.statuses[box.value] = box.checked; });
      sections.forEach(function (sec) { applyFilters(sec); sec.el.list.scrollTop = 0; renderSection(sec, true); });
    }
    bar.addEventListener("input", function (ev) {
      clearTimeout(timer);
      timer = setTimeout(changed, ev.target.id === "f-search" ? 80 : 0);
    });
    bar.addEventListener("change", function () { clearTimeout(timer); changed(); });
    $("#f-reset", bar).addEventListener("click", function () {
      $("#f-search", bar).value = ""; $("#f-party", bar).value = ""; $("#f-provision", bar).value = "";
      bar.querySelectorAll("#f-status input").forEach(function (box) { box.checked = true; });
      changed();
    });
    setStatusFilter = function (only) {
      bar.querySelectorAll("#f-status input").forEach(function (box) { box.checked = only === null || only.indexOf(box.value) >= 0; });
      changed();
    };
    return bar;
  }
  var setStatusFilter = function () {};

  function buildSection(sec) {
    var raw = sec.raw;
    var node = el("section", "sec");
    node.id = "section-" + sec.si;
    node.dataset.si = String(sec.si);
    node.setAttribute("aria-labelledby", "section-title-" + sec.si);
    var head = el("div", "sec-head");
    head.innerHTML = '<h2 id="section-title-' + sec.si + '">' + esc(raw.title) + "</h2>" +
      (raw.description ? '<p class="desc">' + esc(raw.description) + "</p>" : "") +
      '<dl class="facts"></dl><div class="counts" aria-label="Counts by status"></div>';
    if (sec.variants.length > 1) {
      var options = sec.variants.map(function (v, i) {
        var text = Object.keys(v.raw.readings).map(function (k) { return k + "=" + v.raw.readings[k]; }).join(", ");
        return '<option value="' + i + '"' + (i === sec.variantIndex ? " selected" : "") + ">" + esc(text) +
          (i === raw.selected ? " (as given)" : "") + "</option>";
      }).join("");
      var chooser = el("div", "variant", '<label>Readings: <select class="variant-select" aria-label="Switch readings">' + options +
        "</select></label> " + '<span class="note">' + plural(sec.variants.length, "combination") +
        " of the pack's readings; a duty marked ≠ has a verdict that depends on them.</span>");
      head.appendChild(chooser);
      $("select", chooser).addEventListener("change", function (ev) {
        sec.variantIndex = Number(ev.target.value);
        applyFilters(sec);
        renderHeader(sec);
        renderSection(sec, true);
        if (detailState && detailState.si === sec.si) reopenDetail();
      });
    }
    head.appendChild(legend(sec));
    node.appendChild(head);
    sec.el.facts = $(".facts", head);
    sec.el.counts = $(".counts", head);

    var tl = el("div", "tl");
    tl.innerHTML =
      '<div class="overlay" aria-hidden="true"><svg></svg></div>' +
      '<div class="tl-fixed">' +
      '<div class="row tl-axis"><div class="lab"><span class="zoom" role="group" aria-label="Zoom">' +
      '<button type="button" data-zoom="out" aria-label="Zoom out">−</button><button type="button" data-zoom="in" aria-label="Zoom in">+</button>' +
      '<button type="button" data-zoom="fit" aria-label="Show the events">fit</button><button type="button" data-zoom="all" aria-label="Show the whole period">all</button>' +
      '</span><span class="range"></span></div><div class="track"><svg class="axis" height="30" role="img" aria-label="Date axis"></svg></div></div>' +
      '<div class="lanes"></div>' +
      '<div class="row duty-head"><div class="lab">Duties <span class="count"></span></div><div class="track"></div></div>' +
      "</div>" +
      '<div class="duty-list" role="listbox" tabindex="0" aria-label="Duties of ' + esc(raw.title) +
      ' (arrow keys move, Enter explains)"><div class="spacer"></div></div>';
    node.appendChild(tl);
    sec.el.tl = tl;
    sec.el.overlay = $(".overlay", tl);
    sec.el.axisTrack = $(".tl-axis .track", tl);
    sec.el.axis = $("svg.axis", tl);
    sec.el.range = $(".range", tl);
    sec.el.count = $(".duty-head .count", tl);
    sec.el.dutyNote = $(".duty-head .track", tl);
    sec.el.list = $(".duty-list", tl);
    sec.el.spacer = $(".spacer", tl);
    var lanes = $(".lanes", tl);
    sec.el.lanes = raw.lanes.map(function (name, i) {
      var row = el("div", "row lane");
      row.dataset.lane = String(i);
      row.dataset.party = name;
      row.innerHTML = '<div class="lab" title="events naming ' + esc(name || "no party") + '">' + (name ? esc(name) : "<em>no party</em>") +
        '</div><div class="track"><svg height="' + LANE_H + '"></svg></div>';
      lanes.appendChild(row);
      return {row: row, svg: $("svg", row)};
    });
    if (!raw.lanes.length) lanes.appendChild(el("div", "empty", "The scenario has no events."));
    wireSection(sec);
    renderHeader(sec);
    return node;
  }

  function legend(sec) {
    var present = {};
    sec.events.forEach(function (e) { present[e.typeIndex] = true; });
    var items = sec.raw.event_types.map(function (t, i) {
      if (!present[i]) return "";
      var st = typeStyle(i);
      return '<li><svg width="14" height="14" aria-hidden="true"><path d="' + shapePath(st.shape, 7, 7, 5.5) + '" fill="' + st.colour + '"/></svg>' + esc(t.name) + "</li>";
    }).join("");
    var marks =
      '<li><svg width="14" height="14" aria-hidden="true"><g class="mk-met"><circle cx="7" cy="7" r="5"/></g></svg>met (the event that did it)</li>' +
      '<li><svg width="14" height="14" aria-hidden="true"><g class="mk-breach"><path d="M3 3L11 11M11 3L3 11"/></g></svg>breached on / violated by</li>' +
      '<li><svg width="14" height="14" aria-hidden="true"><g class="mk-discharge"><path d="' + shapePath("diamond", 7, 7, 5) + '"/></g></svg>discharged</li>' +
      '<li><svg width="22" height="14" aria-hidden="true"><rect x="0" y="3" width="22" height="8" fill="url(#open-fade)"/></svg>no deadline (open end)</li>' +
      '<li><svg width="22" height="14" aria-hidden="true"><rect x="0" y="1" width="22" height="12" class="f-complied" opacity=".35"/></svg>maintenance duty (a band)</li>' +
      '<li><svg width="22" height="14" aria-hidden="true"><rect x="0" y="3" width="22" height="8" fill="url(#hatch-overdue)" stroke="#e65100"/></svg>overdue</li>' +
      '<li><svg width="22" height="14" aria-hidden="true"><rect x="0" y="3" width="22" height="8" fill="' + stripeFill(["breached", "fulfilled"]) + '"/></svg>uncertain: every possible status</li>' +
      '<li><svg width="14" height="14" aria-hidden="true"><path d="' + shapePath("circle", 7, 7, 5) + '" fill="#ccc" stroke="#111" stroke-dasharray="2 1.5"/></svg>in an excluded region</li>' +
      '<li><svg width="22" height="14" aria-hidden="true"><rect width="22" height="14" fill="url(#hatch-uncovered)"/></svg>not covered (not in force, after as-of)</li>';
    var node = el("details", "legend");
    node.open = true;
    node.innerHTML = "<summary>Legend</summary><ul>" + items + "</ul><ul>" + marks + "</ul>";
    return node;
  }

  function renderHeader(sec) {
    var raw = sec.raw, v = variant(sec).raw;
    var facts = [
      ["Treaty", esc(raw.treaty_title) + " (<code>" + esc(raw.treaty) + "</code>)"],
      ["Scenario", esc(raw.scenario) + " — <code>" + esc(raw.file) + "</code>"],
      ["As of", esc(show(v.as_of))],
    ];
    if (raw.in_force_from !== null) facts.push(["In force from", esc(show(raw.in_force_from))]);
    var readings = Object.keys(v.readings).map(function (k) {
      var meta = raw.reading_choices[k];
      return "<code>" + esc(k) + "=" + esc(v.readings[k]) + "</code>" + (meta && meta.default === v.readings[k] ? " (default)" : "");
    });
    facts.push(["Readings", readings.join(", ") || "none"]);
    var params = Object.keys(v.parameters).map(function (k) {
      var meaning = raw.parameter_meanings[k];
      return '<code title="' + esc(meaning || "") + '">' + esc(k) + "=" + esc(v.parameters[k]) + "</code>";
    });
    facts.push(["Parameters", params.join(", ") || "none"]);
    if (v.uncertain) facts.push(["Possible worlds", esc(v.worlds) + " (uncertain facts: a striped duty has several possible statuses)"]);
    if (v.ignored_events) facts.push(["Ignored", plural(v.ignored_events, "event") + " dated after the as-of day"]);
    if (v.unread_events) facts.push(["Not read", plural(v.unread_events, "event") + " this treaty does not read" +
      (v.treaties.length > 1 ? " (the history is checked under " + esc(v.treaties.join(", ")) + ")" : "")]);
    if (raw.explained_of !== null) {
      var n = Object.keys(v.explanations).length + Object.keys(v.witnesses).length;
      facts.push(["Explanations", sec.variantIndex !== raw.selected ?
        n + " derivations under these readings (of the duties whose verdict depends on them)" :
        n >= raw.explained_of ? "every duty's derivation is included" :
        n + " of " + raw.explained_of + " duties' derivations are included (the worst verdicts first)"]);
    }
    sec.el.facts.innerHTML = facts.map(function (f) { return "<dt>" + f[0] + "</dt><dd>" + f[1] + "</dd>"; }).join("");
    var s = v.summary;
    var chips = ['<button type="button" class="chip total" data-only="">' + esc(s.fired) + " fired</button>"];
    ["fulfilled", "late", "breached", "pending", "discharged", "complied", "not_fired"].forEach(function (k) {
      chips.push('<button type="button" class="chip" data-only="' + k + '" title="show only the ' + LABEL[k] + ' duties">' +
        '<span class="sw st-' + k + '"></span>' + esc(s[k]) + " " + LABEL[k] + "</button>");
    });
    sec.el.counts.innerHTML = chips.join("");
  }

  // ---- geometry -----------------------------------------------------------------------------
  function scale(sec) {
    var k = sec.width / (sec.view.end - sec.view.start), start = sec.view.start;
    return function (day) { return (day - start) * k; };
  }
  function clampX(x, w) { return Math.max(-50, Math.min(w + 50, x)); }

  function measure(sec) {
    sec.width = Math.max(50, sec.el.axisTrack.clientWidth);
    var track = sec.el.axisTrack;
    sec.el.overlay.style.left = track.offsetLeft + "px";
    sec.el.overlay.style.width = sec.width + "px";
  }

  // ---- drawing ------------------------------------------------------------------------------
  var pending = {};
  function renderSection(sec, everything) {
    pending[sec.si] = (pending[sec.si] || false) || !!everything;
    if (pending.frame) return;
    pending.frame = requestAnimationFrame(function () {
      var work = pending;
      pending = {};
      sections.forEach(function (s) {
        if (work[s.si] !== undefined) draw(s, work[s.si]);
      });
    });
  }
  function renderView(sec) {
    if (DATA.shared_axis) sections.forEach(function (s) { renderSection(s, true); });
    else renderSection(sec, true);
  }

  function draw(sec, everything) {
    if (everything) {
      measure(sec);
      drawAxis(sec);
      drawLanes(sec);
    }
    drawRows(sec);
    if (everything) drawOverlay(sec);   // as tall as the timeline, rows included
  }

  function ticks(start, end, width) {
    var pxPerDay = width / (end - start);
    var steps = [[1, "d"], [2, "d"], [7, "w"], [14, "w"], [1, "m"], [2, "m"], [3, "m"], [6, "m"], [1, "y"], [2, "y"], [5, "y"],
                 [10, "y"], [20, "y"], [50, "y"], [100, "y"], [250, "y"], [500, "y"], [1000, "y"]];
    var days = {d: 1, w: 1, m: 30.44, y: 365.25};
    var step = steps[steps.length - 1];
    for (var i = 0; i < steps.length; i++) if (steps[i][0] * days[steps[i][1]] * pxPerDay >= 84) { step = steps[i]; break; }
    var n = step[0], unit = step[1], out = [];
    if (unit === "d" || unit === "w") {
      var first = Math.ceil(start);
      if (unit === "w") first += ((4 - first) % 7 + 7) % 7;     // a Monday
      else first = Math.ceil(first / n) * n;
      for (var d = first; d <= end && out.length < 400; d += n) out.push([d, iso(d)]);
      return out;
    }
    var at = new Date(Math.floor(start) * DAY_MS), y = at.getUTCFullYear(), m = unit === "m" ? at.getUTCMonth() : 0;
    if (unit === "m") m = Math.floor(m / n) * n; else y = Math.floor(y / n) * n;
    while (out.length < 400) {
      var day = Date.UTC(y, m, 1) / DAY_MS;
      if (day > end) break;
      if (day >= start) out.push([day, unit === "m" ? iso(day).slice(0, 7) : iso(day).slice(0, 4)]);
      if (unit === "m") { m += n; if (m >= 12) { y += Math.floor(m / 12); m %= 12; } } else y += n;
    }
    return out;
  }

  function drawAxis(sec) {
    var x = scale(sec), w = sec.width, v = sec.view, asOf = variant(sec).raw.as_of;
    sec.ticks = ticks(v.start, v.end, w);
    var html = sec.ticks.map(function (t) {
      var px = x(t[0]);
      return '<line x1="' + px.toFixed(1) + '" x2="' + px.toFixed(1) + '" y1="22" y2="30" stroke="#8c959f"/>' +
        '<text x="' + (px + 3).toFixed(1) + '" y="15">' + esc(t[1]) + "</text>";
    }).join("");
    var a = x(asOf + 1);
    if (a >= 0 && a <= w) html += '<text class="asof-label" x="' + (a - 3).toFixed(1) + '" y="27" text-anchor="end">as of ' + esc(iso(asOf)) + "</text>";
    sec.el.axis.setAttribute("width", String(w));
    sec.el.axis.innerHTML = html;
    sec.el.axis.dataset.start = String(v.start);
    sec.el.axis.dataset.end = String(v.end);
    sec.el.range.textContent = show(Math.floor(v.start)) + " … " + show(Math.ceil(v.end) - 1) + " (" + Math.round(v.end - v.start) + " days)";
  }

  function drawOverlay(sec) {
    var x = scale(sec), w = sec.width, h = sec.el.tl.clientHeight, asOf = variant(sec).raw.as_of;
    var html = (sec.ticks || []).map(function (t) {
      var px = x(t[0]).toFixed(1);
      return '<line class="grid" x1="' + px + '" x2="' + px + '" y1="30" y2="' + h + '"/>';
    }).join("");
    var inForce = sec.raw.in_force_from;
    if (inForce !== null && x(inForce) > 0) {
      var right = Math.min(w, x(inForce));
      html += '<rect class="uncovered" x="0" y="30" width="' + right.toFixed(1) + '" height="' + h + '"><title>before the treaty is in force</title></rect>';
      if (right > 90) html += '<text class="uncovered-label" x="4" y="42">not yet in force</text>';
    }
    var after = x(asOf + 1);
    if (after < w) {
      var left = Math.max(0, after);
      html += '<rect class="uncovered" x="' + left.toFixed(1) + '" y="30" width="' + (w - left).toFixed(1) + '" height="' + h + '"><title>after the as-of day: not judged</title></rect>';
      if (w - left > 70) html += '<text class="uncovered-label" x="' + (left + 4).toFixed(1) + '" y="42">after as-of</text>';
    }
    if (after >= 0 && after <= w) html += '<line class="asof" x1="' + after.toFixed(1) + '" x2="' + after.toFixed(1) + '" y1="0" y2="' + h + '"/>';
    var svg = $("svg", sec.el.overlay);
    svg.setAttribute("height", String(h));
    svg.innerHTML = html;
  }

  // a lane's events in bins of MARK_PX pixels, counted from a fixed day so that panning
  // does not move them: a bin of one event shows its marker, a fuller bin a cluster
  function drawLanes(sec) {
    var x = scale(sec), w = sec.width, v = sec.view, y = LANE_H / 2;
    var binDays = MARK_PX / (w / (v.end - v.start));
    sec.el.lanes.forEach(function (lane, li) {
      var name = sec.raw.lanes[li];
      var hidden = !!filters.party && name !== filters.party;
      lane.row.classList.toggle("hidden-by-filter", hidden);
      if (hidden) { lane.svg.innerHTML = ""; return; }
      var list = sec.laneEvents[li], days = sec.laneDays[li];
      var lo = lowerBound(days, v.start - 1 - sec.longestRange), hi = lowerBound(days, v.end + 1);
      var html = "", i = lo;
      while (i < hi) {
        var e = list[i], bin = Math.floor(e.day / binDays), j = i + 1;
        if (e.last !== null) { html += eventMarker(sec, e, x, y); i++; continue; }
        while (j < hi && list[j].last === null && Math.floor(list[j].day / binDays) === bin) j++;
        if (j - i === 1) html += eventMarker(sec, e, x, y);
        else html += cluster(sec, li, i, j, x(bin * binDays), x((bin + 1) * binDays), y);
        i = j;
      }
      lane.svg.setAttribute("width", String(w));
      lane.svg.innerHTML = html;
    });
  }

  function eventMarker(sec, e, x, y) {
    var st = typeStyle(e.typeIndex), cx = x(e.day + 0.5), cls = "ev";
    if (e.flags & 1) cls += " excluded";
    if (e.flags & 2) cls += " maybe";
    var range = "";
    if (e.last !== null) {
      range = '<line class="range" x1="' + clampX(cx, sec.width).toFixed(1) + '" x2="' + clampX(x(e.last + 0.5), sec.width).toFixed(1) +
        '" y1="' + y + '" y2="' + y + '" stroke="' + st.colour + '"/>';
    }
    return '<g class="' + cls + '" data-tip="e:' + e.index + '" data-event="' + esc(e.id) + '" data-day="' + iso(e.day) +
      '" data-type="' + esc(e.type) + '">' + range + '<path class="shape" d="' + shapePath(st.shape, cx, y, 6) + '" fill="' + st.colour + '"/></g>';
  }

  function cluster(sec, li, i, j, x0, x1, y) {
    var n = j - i, list = sec.laneEvents[li], excluded = false;
    for (var k = i; k < j; k++) if (list[k].flags & 1) { excluded = true; break; }
    var wdt = Math.max(4, x1 - x0 - 1), shade = Math.min(1, 0.45 + Math.log(n) / 9);
    return '<g class="cluster' + (excluded ? " has-excluded" : "") + '" data-tip="c:' + li + ":" + i + ":" + j + '" data-count="' + n + '">' +
      '<rect x="' + (x0 + 0.5).toFixed(1) + '" y="' + (y - 7) + '" width="' + wdt.toFixed(1) + '" height="14" rx="3" fill-opacity="' + shade.toFixed(2) + '"/>' +
      (n < 100 ? '<text x="' + ((x0 + x1) / 2).toFixed(1) + '" y="' + (y + 3.5) + '" text-anchor="middle">' + n + "</text>" : "") + "</g>";
  }

  function drawRows(sec) {
    var list = sec.el.list, rows = sec.filtered, total = variant(sec).rows.length;
    sec.el.count.textContent = "(" + rows.length + (rows.length === total ? "" : " of " + total) + ")";
    var printing = document.body.classList.contains("printing");
    var first = 0, last = Math.min(rows.length, 3000);   // printed: every row (up to a limit)
    sec.el.spacer.style.height = last * ROW_H + "px";
    if (!printing) {   // on screen: the rows in view, and a few around them
      sec.el.spacer.style.height = rows.length * ROW_H + "px";
      first = Math.max(0, Math.floor(list.scrollTop / ROW_H) - 4);
      last = Math.min(rows.length, first + Math.ceil(list.clientHeight / ROW_H) + 9);
    }
    var x = scale(sec), html = "";
    for (var i = first; i < last; i++) html += rowHtml(sec, rows[i], i, x);
    if (!rows.length) html = '<div class="empty">No duty matches the filters.</div>';
    sec.el.spacer.innerHTML = html;
    if (sec.active >= 0 && sec.active < rows.length) list.setAttribute("aria-activedescendant", rowId(sec, sec.active));
    else list.removeAttribute("aria-activedescendant");
  }

  function rowId(sec, i) { return "row-" + sec.si + "-" + i; }

  function rowHtml(sec, row, i, x) {
    var deps = sec.variants.length > 1 ? sec.raw.depends_on[row.id] : null;
    var aria = row.id + ", " + (row.possible.length > 1 ? "possibly " + row.possible.map(function (s) { return LABEL[s]; }).join(" or ") : LABEL[row.status]) +
      (row.kind === "duty" ? ", fired " + show(row.fired_on) + (row.dutyKind === "achievement" ? ", deadline " + (row.deadline === null ? "none" : show(row.deadline)) : "") :
        ", blocked by " + row.blocked_by.join(", "));
    return '<div class="row duty' + (i === sec.active ? " active" : "") + '" role="option" id="' + rowId(sec, i) + '" aria-selected="' + (i === sec.active) +
      '" data-row="' + i + '" data-tip="d:' + i + '" data-id="' + esc(row.id) + '" data-status="' + row.status + '" aria-label="' + esc(aria) + '" style="top:' + i * ROW_H + 'px">' +
      '<div class="lab">' + badge(row) + '<span class="rid">' + esc(row.id) + "</span>" +
      (deps && deps.length ? '<span class="dep" title="the verdict depends on the reading(s): ' + esc(deps.join(", ")) + '">≠</span>' : "") +
      '</div><div class="track"><svg width="' + sec.width + '" height="' + ROW_H + '" aria-hidden="true">' +
      (row.kind === "duty" ? barSvg(sec, row, x) : notFiredSvg(sec, row, x)) + "</svg></div></div>";
  }

  function statusFill(row) {
    return row.possible.length > 1 ? 'fill="' + stripeFill(row.possible) + '"' : 'class="body f-' + row.status + '"';
  }

  function barSvg(sec, o, x) {
    var w = sec.width, asOf = variant(sec).raw.as_of, y = ROW_H / 2;
    var start = o.fired_on, parts = [], end;
    var attrs = ' data-id="' + esc(o.id) + '" data-status="' + o.status + '" data-kind="' + esc(o.dutyKind) + '" data-start="' + iso(start) +
      '" data-end="' + (o.deadline === null ? "" : iso(o.deadline)) + '"';
    var metDay = o.metEvent ? o.metEvent.day : null;
    if (o.dutyKind === "maintenance") {
      end = asOf + 1;
      var x0 = clampX(x(start), w), x1 = clampX(x(end), w);
      parts.push('<rect class="band f-' + o.status + '"' + (o.possible.length > 1 ? ' style="fill:' + stripeFill(o.possible) + ';opacity:.6"' : "") +
        ' x="' + x0.toFixed(1) + '" y="3" width="' + Math.max(1, x1 - x0).toFixed(1) + '" height="' + (ROW_H - 6) + '"/>');
      parts.push('<path class="band-edge s-' + o.status + '" d="M' + x0.toFixed(1) + " 3.5H" + x1.toFixed(1) + "M" + x0.toFixed(1) + " " + (ROW_H - 3.5) + "H" + x1.toFixed(1) + '"/>');
      var right = x1;
      if (o.breached_on !== null) {
        var bm = breachMark(x, o.breached_on, y, (o.breached_by ? "violated by " + o.breached_by + " on " : "breached on ") + iso(o.breached_on));
        parts.push(bm.svg);
        right = Math.max(right, bm.right);
      }
      return '<g class="bar maintenance"' + attrs + ">" + parts.join("") + label(sec, o, x0, right) + "</g>";
    }
    var open = o.deadline === null;
    if (open) {
      end = (metDay !== null ? metDay : o.discharged_on !== null ? o.discharged_on : o.breached_on !== null ? o.breached_on : asOf) + 1;
    } else {
      end = o.deadline + 1;
    }
    var bodyEnd = o.status === "discharged" && o.discharged_on !== null && o.discharged_on + 1 < end ? o.discharged_on + 1 : end;
    var b0 = clampX(x(start), w), b1 = clampX(x(bodyEnd), w), e1 = clampX(x(end), w);
    parts.push('<rect ' + statusFill(o) + ' x="' + b0.toFixed(1) + '" y="6" width="' + Math.max(2, b1 - b0).toFixed(1) + '" height="12" rx="2"/>');
    if (bodyEnd < end) parts.push('<rect class="rest s-' + o.status + '" x="' + b1.toFixed(1) + '" y="6.5" width="' + Math.max(0, e1 - b1).toFixed(1) + '" height="11" rx="2"/>');
    var tail = e1;
    if (open) {
      parts.push('<rect class="open-tail" data-open-end="1" x="' + e1.toFixed(1) + '" y="6" width="44" height="12" fill="url(#open-fade)"/>' +
        '<text class="open-arrow" x="' + (e1 + 46).toFixed(1) + '" y="' + (y + 4) + '">→</text>');
      tail = e1 + 56;
    } else if (o.status === "late" && metDay !== null && metDay > o.deadline) {
      var o1 = clampX(x(metDay + 1), w);
      parts.push('<rect class="overdue" data-mark="overdue" data-day="' + iso(o.deadline + 1) + '" x="' + e1.toFixed(1) + '" y="6" width="' + Math.max(1, o1 - e1).toFixed(1) + '" height="12"/>');
      tail = o1;
    } else if (o.status === "breached" && o.breached_on !== null) {
      var m1 = clampX(x(asOf + 1), w);
      if (m1 > e1) parts.push('<line class="missed" x1="' + e1.toFixed(1) + '" x2="' + m1.toFixed(1) + '" y1="' + y + '" y2="' + y + '"/>');
    }
    var marks = [];
    if (metDay !== null && o.status !== "discharged") marks.push(metMark(x, metDay, y, o.met_by));
    // a late duty's breach day is where its hatched overdue stretch begins; a mark there
    // would cover the meeting when both fall on one day
    if (o.breached_on !== null && o.status !== "fulfilled" && !(o.status === "late" && metDay === o.breached_on)) {
      marks.push(breachMark(x, o.breached_on, y, (o.breached_by ? "breached by " + o.breached_by + " on " : "breached on ") + iso(o.breached_on)));
    }
    if (o.discharged_on !== null) marks.push(dischargeMark(x, o.discharged_on, y, o.discharged_by));
    marks.forEach(function (m) { parts.push(m.svg); tail = Math.max(tail, m.right); });
    return '<g class="bar achievement' + (open ? " open" : "") + '"' + attrs + ">" + parts.join("") + label(sec, o, b0, Math.max(tail, b1)) + "</g>";
  }

  function label(sec, o, x0, x1) {
    var text = o.possible.length > 1 ? "possibly " + o.possible.map(function (s) { return LABEL[s]; }).join(" | ") : LABEL[o.status];
    if (o.deadline === null && o.dutyKind === "achievement") text += " · no deadline";
    var room = text.length * 6.2;
    if (x1 + 8 + room < sec.width) return '<text class="label" x="' + (x1 + 8).toFixed(1) + '" y="16">' + esc(text) + "</text>";
    if (x0 - 8 - room > 0) return '<text class="label" x="' + (x0 - 8).toFixed(1) + '" y="16" text-anchor="end">' + esc(text) + "</text>";
    return "";
  }
  // the marks on a bar: their SVG, and where they end on the right (the label goes after)
  function metMark(x, day, y, by) {
    var cx = x(day + 0.5);
    return {right: cx + 6, svg: '<g class="mk mk-met" data-mark="met" data-day="' + iso(day) + '"><title>met by ' + esc(by || "") + " on " + iso(day) + "</title>" +
      '<circle cx="' + cx.toFixed(1) + '" cy="' + y + '" r="5"/><path d="M' + (cx - 2.5).toFixed(1) + " " + y + "l2 2.2l3.2-4.2" + '"/></g>'};
  }
  function breachMark(x, day, y, what) {
    var cx = x(day + 0.5);
    return {right: cx + 6, svg: '<g class="mk mk-breach" data-mark="breach" data-day="' + iso(day) + '"><title>' + esc(what) + "</title>" +
      '<circle cx="' + cx.toFixed(1) + '" cy="' + y + '" r="5.5"/><path d="M' + (cx - 3).toFixed(1) + " " + (y - 3) + "l6 6m0 -6l-6 6" + '"/></g>'};
  }
  function dischargeMark(x, day, y, by) {
    var cx = x(day + 0.5);
    return {right: cx + 7, svg: '<g class="mk mk-discharge" data-mark="discharge" data-day="' + iso(day) + '"><title>discharged by ' + esc(by || "") + " on " + iso(day) + "</title>" +
      '<path d="' + shapePath("diamond", cx, y, 6) + '"/></g>'};
  }
  function notFiredSvg(sec, row, x) {
    if (row.day === null) return '<g class="nf" data-id="' + esc(row.id) + '"><text class="label" x="8" y="16">not fired: blocked by ' + esc(row.blocked_by.join(", ")) + "</text></g>";
    var cx = x(row.day + 0.5), y = ROW_H / 2;
    return '<g class="nf" data-id="' + esc(row.id) + '" data-day="' + iso(row.day) + '"><g class="mk mk-nf"><circle cx="' + cx.toFixed(1) + '" cy="' + y + '" r="5"/>' +
      '<path d="M' + (cx - 3.5).toFixed(1) + " " + (y + 3.5) + "l7 -7" + '"/></g>' +
      (cx + 220 < sec.width ? '<text class="label" x="' + (cx + 10).toFixed(1) + '" y="16">not fired: blocked by ' + esc(row.blocked_by.join(", ")) + "</text>" : "") + "</g>";
  }

  // ---- interaction --------------------------------------------------------------------------
  function zoom(sec, factor, centre) {
    var v = sec.view, span = v.end - v.start;
    var full = v.all.end - v.all.start;
    var next = Math.max(2, Math.min(full * 1.5, span * factor));
    if (centre === undefined) centre = v.start + span / 2;
    var ratio = (centre - v.start) / span;
    v.start = centre - ratio * next;
    v.end = v.start + next;
    renderView(sec);
  }
  function pan(sec, days) {
    sec.view.start += days;
    sec.view.end += days;
    renderView(sec);
  }
  function setView(sec, range) {
    sec.view.start = range.start;
    sec.view.end = range.end;
    renderView(sec);
  }
  function dayAt(sec, clientX) {
    var rect = sec.el.axisTrack.getBoundingClientRect();
    return sec.view.start + (clientX - rect.left) / sec.width * (sec.view.end - sec.view.start);
  }

  function wireSection(sec) {
    var tl = sec.el.tl, list = sec.el.list;
    tl.addEventListener("click", function (ev) {
      var button = ev.target.closest("button[data-zoom]");
      if (button) {
        var what = button.dataset.zoom;
        if (what === "in") zoom(sec, 0.5);
        else if (what === "out") zoom(sec, 2);
        else setView(sec, what === "all" ? sec.view.all : sec.view.focus);
        return;
      }
      if (dragged) return;
      var cl = ev.target.closest(".cluster");
      if (cl) { openCluster(sec, cl.dataset.tip); return; }
      var mark = ev.target.closest(".ev");
      if (mark) { openEvent(sec, sec.events[Number(mark.dataset.tip.slice(2))]); return; }
      var row = ev.target.closest(".duty");
      if (row) {
        setActive(sec, Number(row.dataset.row), false);
        list.focus({preventScroll: true});
        openRow(sec, sec.filtered[sec.active], false);
      }
    });
    tl.addEventListener("wheel", function (ev) {
      // the wheel zooms on the date axis, or anywhere with ctrl; elsewhere it scrolls the page
      var onAxis = !!ev.target.closest(".tl-axis .track");
      if (ev.ctrlKey || ev.metaKey || (onAxis && !ev.shiftKey)) {
        ev.preventDefault();
        zoom(sec, Math.exp(ev.deltaY * 0.0022), dayAt(sec, ev.clientX));
      } else if (ev.shiftKey || Math.abs(ev.deltaX) > Math.abs(ev.deltaY)) {
        ev.preventDefault();
        var delta = Math.abs(ev.deltaX) > Math.abs(ev.deltaY) ? ev.deltaX : ev.deltaY;
        pan(sec, delta / sec.width * (sec.view.end - sec.view.start));
      }
    }, {passive: false});
    var drag = null, dragged = false;
    tl.addEventListener("pointerdown", function (ev) {
      if (ev.button !== 0 || !ev.target.closest(".track")) return;
      drag = {x: ev.clientX, start: sec.view.start, end: sec.view.end};
      dragged = false;
    });
    window.addEventListener("pointermove", function (ev) {
      if (!drag) return;
      var dx = ev.clientX - drag.x;
      if (!dragged && Math.abs(dx) < 4) return;
      dragged = true;
      var days = dx / sec.width * (drag.end - drag.start);
      sec.view.start = drag.start - days;
      sec.view.end = drag.end - days;
      hideTip();
      renderView(sec);
    });
    window.addEventListener("pointerup", function () { drag = null; setTimeout(function () { dragged = false; }, 0); });
    list.addEventListener("scroll", function () { renderSection(sec, false); }, {passive: true});
    list.addEventListener("keydown", function (ev) { listKey(sec, ev); });
    list.addEventListener("focus", function () {
      if (sec.active < 0 && sec.filtered.length) setActive(sec, firstVisible(sec), false);
    });
    tl.addEventListener("mousemove", function (ev) { tip(sec, ev); });
    tl.addEventListener("mouseleave", hideTip);
    sec.el.counts.addEventListener("click", function (ev) {
      var chip = ev.target.closest("button[data-only]");
      if (!chip) return;
      var only = chip.dataset.only;
      setStatusFilter(only ? [only] : STATUSES.filter(function (s) { return s !== "not_fired"; }));
    });
  }

  function firstVisible(sec) {
    return Math.min(sec.filtered.length - 1, Math.max(0, Math.ceil(sec.el.list.scrollTop / ROW_H)));
  }

  // the rows are marked in place, not drawn again: a click's target must outlive its mousedown
  // (which focuses the list, and may make a row active)
  function setActive(sec, i, scroll) {
    if (!sec.filtered.length) return;
    i = Math.max(0, Math.min(sec.filtered.length - 1, i));
    var list = sec.el.list, old = document.getElementById(rowId(sec, sec.active));
    if (old) { old.classList.remove("active"); old.setAttribute("aria-selected", "false"); }
    sec.active = i;
    if (scroll !== false) {
      var top = i * ROW_H;
      if (top < list.scrollTop) list.scrollTop = top;
      else if (top + ROW_H > list.scrollTop + list.clientHeight) list.scrollTop = top + ROW_H - list.clientHeight;
    }
    var row = document.getElementById(rowId(sec, i));
    if (!row) { drawRows(sec); return; }
    row.classList.add("active");
    row.setAttribute("aria-selected", "true");
    list.setAttribute("aria-activedescendant", row.id);
  }

  function listKey(sec, ev) {
    var page = Math.max(1, Math.floor(sec.el.list.clientHeight / ROW_H) - 1), i = sec.active;
    switch (ev.key) {
      case "ArrowDown": setActive(sec, i < 0 ? 0 : i + 1); break;
      case "ArrowUp": setActive(sec, i < 0 ? 0 : i - 1); break;
      case "PageDown": setActive(sec, i + page); break;
      case "PageUp": setActive(sec, i - page); break;
      case "Home": setActive(sec, 0); break;
      case "End": setActive(sec, sec.filtered.length - 1); break;
      case "Enter": case " ":
        if (i >= 0) openRow(sec, sec.filtered[i], true);
        break;
      case "ArrowLeft": pan(sec, -(sec.view.end - sec.view.start) * 0.2); break;
      case "ArrowRight": pan(sec, (sec.view.end - sec.view.start) * 0.2); break;
      default: return;
    }
    ev.preventDefault();
  }

  document.addEventListener("keydown", function (ev) {
    var target = ev.target, typing = target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA");
    if (ev.key === "Escape" && !$("#detail").hidden) { closeDetail(); ev.preventDefault(); return; }
    if (typing || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var holder = target && target.closest ? target.closest(".sec") : null;
    var sec = sections[holder ? Number(holder.dataset.si) : 0];
    if (ev.key === "/") { $("#f-search").focus(); ev.preventDefault(); }
    else if (ev.key === "+" || ev.key === "=") zoom(sec, 0.5);
    else if (ev.key === "-" || ev.key === "_") zoom(sec, 2);
    else if (ev.key === "0") setView(sec, sec.view.focus);
  });

  window.addEventListener("resize", function () { sections.forEach(function (s) { renderSection(s, true); }); });
  window.addEventListener("beforeprint", function () {
    document.body.classList.add("printing");
    sections.forEach(function (s) { draw(s, true); });
  });
  window.addEventListener("afterprint", function () {
    document.body.classList.remove("printing");
    sections.forEach(function (s) { draw(s, true); });
  });

  // ---- the tooltip --------------------------------------------------------------------------
  var tipNode = document.getElementById("tooltip");
  function hideTip() { tipNode.hidden = true; }
  function tip(sec, ev) {
    var target = ev.target.closest("[data-tip]");
    if (!target) { hideTip(); return; }
    var key = target.dataset.tip, html = "";
    if (key[0] === "e") html = eventTip(sec.events[Number(key.slice(2))]);
    else if (key[0] === "c") html = clusterTip(sec, key);
    else if (key[0] === "d") html = rowTip(sec, sec.filtered[Number(key.slice(2))]);
    if (!html) { hideTip(); return; }
    tipNode.innerHTML = html;
    tipNode.hidden = false;
    var pad = 14, wdt = tipNode.offsetWidth, hgt = tipNode.offsetHeight;
    var left = ev.clientX + pad, top = ev.clientY + pad;
    if (left + wdt > window.innerWidth - 4) left = ev.clientX - wdt - pad;
    if (top + hgt > window.innerHeight - 4) top = ev.clientY - hgt - pad;
    tipNode.style.left = Math.max(4, left) + "px";
    tipNode.style.top = Math.max(4, top) + "px";
  }
  function eventTip(e) {
    return '<div class="t-id"><b>' + esc(e.id) + "</b></div><div>" + esc(e.type) + ": " + esc(e.says) + "</div>" +
      '<div class="t-dim">' + esc(iso(e.day)) + (e.last !== null ? " to " + esc(iso(e.last)) + " (date uncertain)" : "") +
      (e.flags & 2 ? " · may not have happened" : "") + (e.flags & 1 ? " · in an excluded region" : "") + " · line " + esc(e.line) + "</div>";
  }
  function clusterTip(sec, key) {
    var p = key.split(":"), list = sec.laneEvents[Number(p[1])], i = Number(p[2]), j = Number(p[3]);
    var byType = {};
    for (var k = i; k < j; k++) byType[list[k].type] = (byType[list[k].type] || 0) + 1;
    var days = iso(list[i].day) + (list[j - 1].day !== list[i].day ? " to " + iso(list[j - 1].day) : "");
    return "<b>" + (j - i) + " events</b> · " + esc(days) + "<div>" + Object.keys(byType).map(function (t) { return esc(byType[t] + " " + t); }).join(", ") +
      '</div><div class="t-dim">click to zoom in' + (list[i].day === list[j - 1].day ? " (or list them)" : "") + "</div>";
  }
  function rowTip(sec, row) {
    if (!row) return "";
    var prov = sec.raw.provisions[row.provision] || {};
    var lines = ['<div class="t-id"><b>' + esc(row.id) + "</b></div>", "<div>" + esc(prov.title || row.provision) + "</div>"];
    var status = row.possible.length > 1 ? "possibly " + row.possible.map(function (s) { return LABEL[s]; }).join(" | ") : LABEL[row.status];
    if (row.kind === "duty") {
      lines.push("<div>status: <b>" + esc(status) + "</b> (" + esc(row.dutyKind) + ")</div>");
      var d = "fired " + show(row.fired_on);
      if (row.dutyKind === "achievement") d += " · deadline " + (row.deadline === null ? "none" : show(row.deadline));
      if (row.met_by !== null) d += " · met by " + row.met_by + (row.metEvent ? " on " + show(row.metEvent.day) : "");
      if (row.breached_on !== null) d += " · breached on " + show(row.breached_on);
      if (row.breached_by !== null) d += " by " + row.breached_by;
      if (row.discharged_on !== null) d += " · discharged on " + show(row.discharged_on) + " by " + row.discharged_by;
      lines.push('<div class="t-dim">' + esc(d) + "</div>");
    } else {
      lines.push("<div>status: <b>not fired</b></div><div class=\"t-dim\">blocked by " + esc(row.blocked_by.join(", ")) +
        (row.day !== null ? " · would have fired on " + show(row.day) : "") + "</div>");
    }
    return lines.join("");
  }

  // ---- the details panel --------------------------------------------------------------------
  var detail = document.getElementById("detail"), detailBody = document.getElementById("detail-body");
  var detailTitle = document.getElementById("detail-title");
  var detailState = null, returnFocus = null;
  detail.querySelector(".detail-close").addEventListener("click", closeDetail);

  function openPanel(title, html, state, focus) {
    detailTitle.textContent = title;
    detailBody.innerHTML = html;
    detail.hidden = false;
    detailState = state;
    if (focus) { returnFocus = document.activeElement; detail.focus(); }
  }
  function closeDetail() {
    detail.hidden = true;
    var sec = detailState ? sections[detailState.si] : null;
    detailState = null;
    if (returnFocus && document.body.contains(returnFocus)) returnFocus.focus();
    else if (sec) sec.el.list.focus();
    returnFocus = null;
  }
  function reopenDetail() {
    var st = detailState, sec = sections[st.si];
    if (st.kind === "row") {
      var rows = variant(sec).rows;
      for (var i = 0; i < rows.length; i++) if (rows[i].id === st.id) { openRow(sec, rows[i], false); return; }
      openPanel(st.id, "<p>This duty does not arise under these readings.</p>", st, false);
    }
  }

  detailBody.addEventListener("click", function (ev) {
    var target = ev.target.closest("[data-open-row],[data-open-event],[data-witness]");
    if (!target || !detailState) return;
    var sec = sections[detailState.si];
    if (target.dataset.openRow !== undefined) {
      var id = target.dataset.openRow, rows = variant(sec).rows;
      for (var i = 0; i < rows.length; i++) if (rows[i].id === id) {
        var at = sec.filtered.indexOf(rows[i]);
        if (at >= 0) setActive(sec, at);
        openRow(sec, rows[i], false);
        return;
      }
    } else if (target.dataset.openEvent !== undefined) {
      openEvent(sec, sec.events[Number(target.dataset.openEvent)]);
    } else {
      var box = $(".witness-view", detailBody);
      var entry = (variant(sec).raw.witnesses[detailState.id] || [])[Number(target.dataset.witness)];
      detailBody.querySelectorAll("[data-witness]").forEach(function (b) { b.setAttribute("aria-pressed", String(b === target)); });
      box.innerHTML = witnessHtml(sec, entry, detailState.provision);
    }
  });

  function provisionBlock(sec, id) {
    var p = sec.raw.provisions[id];
    if (!p) return "<p><code>" + esc(id) + "</code></p>";
    return "<p><code>" + esc(id) + "</code> — <b>" + esc(p.title) + "</b> <span class=\"loc\">(" + esc(p.kind) + "; " + esc(p.source) + ")</span></p>" +
      "<blockquote>" + esc(p.text) + "</blockquote>";
  }
  function eventLink(sec, eventId) {
    if (eventId === null || eventId === undefined) return "—";
    var e = null;
    for (var i = 0; i < sec.events.length; i++) if (sec.events[i].id === eventId) { e = sec.events[i]; break; }
    if (!e) return "<code>" + esc(eventId) + "</code>";
    return '<button type="button" class="linkish" data-open-event="' + e.index + '"><code>' + esc(e.id) + "</code></button> on " + esc(iso(e.day)) +
      ' <span class="loc">(' + esc(e.type) + ": " + esc(e.says) + "; line " + esc(e.line) + ")</span>";
  }

  function openRow(sec, row, focus) {
    var v = variant(sec).raw, html = [];
    var status = row.possible.length > 1 ? "possibly " + row.possible.map(function (s) { return LABEL[s]; }).join(" | ") : LABEL[row.status];
    html.push("<p>" + badge(row) + " <b>" + esc(status) + "</b>" + (row.certainty && row.certainty !== "certain" ? " (" + esc(row.certainty) + ")" : "") + "</p>");
    var facts = [["Holder", esc(row.holder)], ["Provision", "<code>" + esc(row.provision) + "</code>"],
                 ["Trigger", row.trigger === null ? "none (a standing duty)" : eventLink(sec, row.trigger)]];
    if (row.kind === "duty") {
      facts.push(["Kind", esc(row.dutyKind)], ["Fired on", esc(show(row.fired_on))]);
      if (row.dutyKind === "achievement") facts.push(["Deadline", row.deadline === null ? "none (no deadline: open-ended)" : esc(show(row.deadline))]);
      if (row.met_by !== null) facts.push(["Met by", eventLink(sec, row.met_by)]);
      if (row.breached_on !== null) facts.push(["Breached on", esc(show(row.breached_on))]);
      if (row.breached_by !== null) facts.push(["Breached by", eventLink(sec, row.breached_by)]);
      if (row.discharged_by !== null) facts.push(["Discharged by", eventLink(sec, row.discharged_by)]);
      if (row.discharged_on !== null) facts.push(["Discharged on", esc(show(row.discharged_on))]);
    }
    html.push("<dl>" + facts.map(function (f) { return "<dt>" + f[0] + "</dt><dd>" + f[1] + "</dd>"; }).join("") + "</dl>");
    var deps = sec.raw.depends_on[row.id];
    if (sec.variants.length > 1 && deps && deps.length) html.push('<p class="note">This verdict depends on the reading(s) <code>' + esc(deps.join(", ")) + "</code>: switch them above to compare.</p>");
    html.push("<h3>The provision</h3>" + provisionBlock(sec, row.provision));
    if (row.kind === "not_fired") {
      html.push("<h3>Why it did not fire</h3><p>It would have fired" + (row.day !== null ? " on " + esc(show(row.day)) : "") +
        ", but " + (row.blocked_by.length === 1 ? "this provision blocked it:" : "these provisions blocked it:") + "</p>");
      row.blocked_by.forEach(function (p) { html.push(provisionBlock(sec, p)); });
    }
    var tree = v.explanations[row.id], witnesses = v.witnesses[row.id];
    if (witnesses && witnesses.length) {
      html.push("<h3>" + (witnesses.length > 1 ? "Every possible status, and a world in which it holds" : "A world in which it holds") + "</h3>" +
        '<div class="witness-list" role="group" aria-label="Possible statuses">' + witnesses.map(function (w, i) {
          return '<button type="button" data-witness="' + i + '" aria-pressed="' + (i === 0) + '"><span class="badge st-' + esc(w.status) + '">' + esc(LABEL[w.status] || w.status) +
            "</span> show the world</button>";
        }).join("") + '</div><div class="witness-view">' + witnessHtml(sec, witnesses[0], row.provision) + "</div>");
    } else if (tree) {
      html.push("<h3>Why: the derivation</h3>" + treeHtml(sec, tree, row.provision));
    } else {
      html.push("<h3>Why</h3><p class=\"note\">This report does not include this duty's derivation (a report includes " +
        (sec.raw.explained_of === null ? "none" : "a limited number, the breached and late first") + "). To see it:</p>" +
        '<code class="src">' + esc(explainCommand(sec, row.id)) + "</code>");
    }
    openPanel(row.id, html.join(""), {kind: "row", si: sec.si, id: row.id, provision: row.provision}, focus);
  }

  function explainCommand(sec, id) {
    var v = variant(sec).raw;
    var quote = function (s) { return /^[\w.\/:=@%+-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'"; };
    var parts = ["checker", "explain", quote(sec.raw.file), quote(id)];
    if (v.uncertain) parts.push("--witness");
    if (sec.variants.length > 1) Object.keys(v.readings).forEach(function (k) { parts.push("-r", quote(k + "=" + v.readings[k])); });
    return parts.join(" ");
  }

  function witnessHtml(sec, entry, provision) {
    if (!entry) return "";
    var rows = [];
    Object.keys(entry.witness || {}).forEach(function (eid) {
      var chosen = entry.witness[eid];
      Object.keys(chosen).forEach(function (k) {
        var value = k === "occurred" ? (chosen[k] ? "happened" : "did not happen") : chosen[k];
        rows.push("<tr><td><code>" + esc(eid) + "</code></td><td>" + esc(k) + "</td><td>" + esc(value) + "</td></tr>");
      });
    });
    return '<div class="world"><p>In the world where ' + esc(entry.world || "every fact is certain") + ", the duty is <b>" + esc(LABEL[entry.status] || entry.status) + "</b>.</p>" +
      (rows.length ? "<table><thead><tr><th>event</th><th>fact</th><th>value chosen</th></tr></thead><tbody>" + rows.join("") + "</tbody></table>" : "") +
      "</div><h3>The derivation in that world</h3>" + treeHtml(sec, entry.tree, provision);
  }

  function sourceLine(sec, where) {
    if (!where) return "";
    var cut = where.lastIndexOf(":");
    var file = where.slice(0, cut), line = where.slice(cut + 1);
    var text = sec.raw.sources[file] ? sec.raw.sources[file][line] : undefined;
    return '<span class="loc">' + esc(where) + "</span>" + (text !== undefined ? '<code class="src">' + esc(text) + "</code>" : "");
  }

  // the provision the panel already quotes is not quoted again at the root of its tree
  function treeHtml(sec, tree, provision) {
    return '<ul class="tree">' + nodeHtml(sec, tree, provision || null, 0) + "</ul>";
  }
  function nodeHtml(sec, node, parentProvision, depth) {
    var head = '<span class="because ' + esc(node.because) + '">' + esc(node.because) + "</span>" + esc(node.claim);
    var body = "";
    if (node.rule) body += "<div>rule " + sourceLine(sec, node.rule) + "</div>";
    if (node.source) body += "<div>" + (node.because === "fact" ? "stated at " : "source ") + sourceLine(sec, node.source) + "</div>";
    var text = node.text !== undefined ? node.text : node.provision && sec.raw.provisions[node.provision] ? sec.raw.provisions[node.provision].text : null;
    if (node.provision && node.provision !== parentProvision) {
      var p = sec.raw.provisions[node.provision];
      body += "<div>provision <code>" + esc(node.provision) + "</code>" + (p ? " — " + esc(p.title) : "") + "</div>" + (text ? "<blockquote>" + esc(text) + "</blockquote>" : "");
    }
    if (node.considered && node.considered.length) {
      body += "<div>candidates that came close:</div><ul class=\"considered\">" + node.considered.map(function (c) {
        return "<li>" + (c.event ? "<code>" + esc(c.event) + "</code>: " : "") + esc(c.why_not || "") + (c.source ? " " + sourceLine(sec, c.source) : "") + "</li>";
      }).join("") + "</ul>";
    }
    if (node.note) body += '<div class="note">' + esc(node.note) + "</div>";
    var children = (node.children || []).map(function (c) { return nodeHtml(sec, c, node.provision || parentProvision, depth + 1); }).join("");
    if (!body && !children) return '<li class="leaf">' + head + "</li>";
    return "<li><details" + (depth < 3 ? " open" : "") + "><summary>" + head + '</summary><div class="node-body">' + body + "</div>" +
      (children ? "<ul>" + children + "</ul>" : "") + "</details></li>";
  }

  function openEvent(sec, e) {
    var v = variant(sec), html = [];
    html.push("<p><b>" + esc(e.type) + "</b>: " + esc(e.says) + "</p>");
    var facts = [["Date", esc(iso(e.day)) + (e.last !== null ? " to " + esc(iso(e.last)) + " (uncertain)" : "")],
                 ["Line", sourceLine(sec, sec.raw.file + ":" + e.line)],
                 ["Parties", e.lanes.map(function (l) { return esc(sec.raw.lanes[l] || "none"); }).join(", ")]];
    if (e.flags & 1) facts.push(["Region", "in an excluded region"]);
    if (e.flags & 2) facts.push(["Occurred", "maybe (uncertain)"]);
    html.push("<dl>" + facts.map(function (f) { return "<dt>" + f[0] + "</dt><dd>" + f[1] + "</dd>"; }).join("") + "</dl>");
    var groups = [["Duties it set off", function (r) { return r.trigger === e.id; }],
                  ["Duties it met", function (r) { return r.met_by === e.id; }],
                  ["Duties it breached", function (r) { return r.breached_by === e.id; }],
                  ["Duties it discharged", function (r) { return r.discharged_by === e.id; }]];
    groups.forEach(function (g) {
      var found = v.rows.filter(g[1]);
      if (!found.length) return;
      html.push("<h3>" + g[0] + " (" + found.length + ")</h3><ul>" + found.slice(0, 200).map(function (r) {
        return '<li><button type="button" data-open-row="' + esc(r.id) + '">' + badge(r) + " <code>" + esc(r.id) + "</code></button></li>";
      }).join("") + (found.length > 200 ? "<li>…</li>" : "") + "</ul>");
    });
    openPanel(e.id, html.join(""), {kind: "event", si: sec.si, id: e.id}, false);
  }

  function openCluster(sec, key) {
    var p = key.split(":"), list = sec.laneEvents[Number(p[1])], i = Number(p[2]), j = Number(p[3]);
    var first = list[i].day, last = list[j - 1].day;
    if (first === last) {
      var items = list.slice(i, j).map(function (e) {
        return '<li><button type="button" data-open-event="' + e.index + '"><code>' + esc(e.id) + "</code></button> " + esc(e.type) + ": " + esc(e.says) + "</li>";
      }).join("");
      openPanel((j - i) + " events on " + iso(first), "<ul>" + items + "</ul>", {kind: "cluster", si: sec.si}, false);
      return;
    }
    var span = Math.max(6, (last - first + 1) * 1.6), mid = (first + last + 1) / 2;
    setView(sec, {start: mid - span / 2, end: mid + span / 2});
  }

  // ---- what tests and scripts may read ----------------------------------------------------
  function reportOf(si, vi) {
    var sec = sections[si], v = sec.variants[vi === undefined ? sec.variantIndex : vi];
    return {
      obligations: v.obligations.map(function (o) {
        return {id: o.id, provision: o.provision, kind: o.dutyKind, holder: o.holder, trigger: o.trigger,
                fired_on: iso(o.fired_on), deadline: iso(o.deadline), status: o.status, certainty: o.certainty,
                possible_statuses: o.possible, met_by: o.met_by, breached_on: iso(o.breached_on),
                breached_by: o.breached_by, discharged_by: o.discharged_by, discharged_on: iso(o.discharged_on)};
      }),
      not_fired: v.notFired.map(function (n) {
        return {id: n.id, provision: n.provision, holder: n.holder, trigger: n.trigger, blocked_by: n.blocked_by, certainty: n.certainty};
      }),
      summary: v.raw.summary, as_of: iso(v.raw.as_of), readings: v.raw.readings, parameters: v.raw.parameters,
    };
  }

  buildPage();
  sections.forEach(function (sec) { applyFilters(sec); measure(sec); draw(sec, true); });
  window.treatyReport = {data: DATA, report: reportOf, sections: sections.length,
                         view: function (si) { var v = sections[si].view; return {start: v.start, end: v.end}; }};
  performance.mark("report-ready");
  requestAnimationFrame(function () {
    setTimeout(function () {
      performance.mark("report-painted");
      document.body.dataset.ready = "true";
    }, 0);
  });
})();
