/* SCORM runtime adapters: 1.2, 2004 and standalone (localStorage), one small interface:
   start, read, save, exit, time, score, status, interaction, commit, finish, errors, kind. */
(function (root) {
  "use strict";
  var CK = root.CK;

  function findAPI(name) {
    function climb(win) {
      for (var n = 0; win && n <= 7; n++) {
        try { if (win[name]) return win[name]; } catch (e) { /* cross-origin frame */ }
        var up = null;
        try { up = win.parent; } catch (e) { up = null; }
        if (!up || up === win) break;
        win = up;
      }
      return null;
    }
    var api = climb(window), w = null, hops = 0;
    try { w = window.opener; } catch (e) { w = null; }
    while (!api && w && hops++ < 7) {
      api = climb(w);
      try { w = w.opener; } catch (e) { w = null; }
    }
    return api;
  }
  function pad(n, w) { n = String(n); while (n.length < w) n = "0" + n; return n; }
  function span12(ms) {
    var cs = Math.round(ms / 10), s = Math.floor(cs / 100);
    return pad(Math.min(9999, Math.floor(s / 3600)), 2) + ":" + pad(Math.floor(s / 60) % 60, 2) + ":" +
      pad(s % 60, 2) + "." + pad(cs % 100, 2);
  }
  function span2004(ms) {
    var cs = Math.round(ms / 10), s = Math.floor(cs / 100);
    return "PT" + Math.floor(s / 3600) + "H" + (Math.floor(s / 60) % 60) + "M" + (s % 60) + "." + pad(cs % 100, 2) + "S";
  }
  var SEP = { "1.2": [",", "."], "2004": ["[,]", "[.]"] };
  function responseText(r, v) {
    var sep = SEP[v];
    if (r.type === "true-false") return v === "1.2" ? r.parts[0].charAt(0) : r.parts[0];
    if (r.type === "matching") return r.parts.map(function (p) { return p.join(sep[1]); }).join(sep[0]);
    if (r.type === "fill-in" || r.type === "long-fill-in") return r.parts[0].slice(0, v === "1.2" ? 255 : 4000);
    return r.parts.join(sep[0]);
  }

  function Lms(api, v, wantMastery) {
    var self = this, p = v === "1.2" ? "LMS" : "", held = "";
    var E = v === "1.2"
      ? { loc: "cmi.core.lesson_location", entry: "cmi.core.entry", id: "cmi.core.student_id", exit: "cmi.core.exit",
          time: "cmi.core.session_time", status: "cmi.core.lesson_status", score: "cmi.core.score.",
          mastery: "cmi.student_data.mastery_score", resp: "student_response" }
      : { loc: "cmi.location", entry: "cmi.entry", id: "cmi.learner_id", exit: "cmi.exit", time: "cmi.session_time",
          score: "cmi.score.", mastery: "cmi.scaled_passing_score", resp: "learner_response" };
    this.kind = v;
    this.errors = [];
    function call(fn, args) {
      var r = "false", code = "0";
      try { r = String(api[fn].apply(api, args)); } catch (e) { r = "false"; code = "exception"; }
      try { code = String(api[p + "GetLastError"]()); } catch (e) { /* keep */ }
      if (code !== "0" && code !== "") self.errors.push(fn + "(" + (args[0] || "") + "): " + code);
      return r;
    }
    function set(k, val) { return call(p + "SetValue", [k, String(val)]) === "true"; }
    function get(k) { return call(p + "GetValue", [k]); }
    this.start = function () { return call(p + "Initialize", [""]) === "true"; };
    this.read = function () {
      // Location and suspend_data are read only on resume: unset, they answer with an error.
      // 1.2 re-entry after a normal exit is "" with the data kept: read it too, or the state would restart.
      var entry = get(E.entry), resume = entry === "resume" || (v === "1.2" && entry === "");
      var count = parseInt(get("cmi.interactions._count"), 10);
      if (v === "1.2") held = get(E.status);
      var mastery = wantMastery ? get(E.mastery) : "";
      var mark = mastery === "" || isNaN(+mastery) ? null : (v === "1.2" ? +mastery : +mastery * 100);
      return { resume: resume, location: resume ? get(E.loc) : "", suspend: resume ? get("cmi.suspend_data") : "",
               learner: get(E.id), passMark: mark, count: isNaN(count) ? 0 : count };
    };
    this.save = function (loc, data) { set(E.loc, loc); set("cmi.suspend_data", data); };
    this.exit = function (suspend) { set(E.exit, suspend ? "suspend" : (v === "1.2" ? "" : "normal")); };
    this.time = function (ms) { set(E.time, v === "1.2" ? span12(ms) : span2004(ms)); };
    this.score = function (pct) {
      set(E.score + "min", 0);
      set(E.score + "max", 100);
      set(E.score + "raw", pct);
      if (v !== "1.2") set("cmi.score.scaled", CK.roundTo(pct / 100, 4));
    };
    this.status = function (s) {
      // Never turn a passed/completed course back into incomplete (1.2 keeps status across launches).
      if (v === "1.2") {
        if (!(s.s12 === "incomplete" && (held === "passed" || held === "completed"))) set(E.status, s.s12);
      } else { set("cmi.completion_status", s.completion); set("cmi.success_status", s.success); }
    };
    this.interaction = function (n, r) {
      var b = "cmi.interactions." + n + ".";
      set(b + "id", r.id);
      set(b + "type", v === "1.2" && r.type === "long-fill-in" ? "fill-in" : r.type);
      set(b + E.resp, responseText(r, v));
      set(b + "result", r.result === null ? "neutral" : r.result ? "correct" : (v === "1.2" ? "wrong" : "incorrect"));
      if (r.weight !== null) set(b + "weighting", r.weight);
      if (v === "1.2") set(b + "time", pad(r.when.getHours(), 2) + ":" + pad(r.when.getMinutes(), 2) + ":" + pad(r.when.getSeconds(), 2));
      else {
        set(b + "timestamp", r.when.toISOString().slice(0, 22) + "Z");
        set(b + "description", r.desc.slice(0, 250));
      }
    };
    this.commit = function () { return call(p + "Commit", [""]) === "true"; };
    this.finish = function () { return call(v === "1.2" ? "LMSFinish" : "Terminate", [""]) === "true"; };
  }

  // Standalone: no LMS found (preview, plain web hosting). Progress stays in this browser.
  function Local(key) {
    var store = {};
    try { store = JSON.parse(window.localStorage.getItem(key) || "{}") || {}; } catch (e) { store = {}; }
    function persist() {
      try { window.localStorage.setItem(key, JSON.stringify(store)); } catch (e) { /* private mode: memory only */ }
      return true;
    }
    this.kind = "standalone";
    this.errors = [];
    this.start = function () { return true; };
    this.read = function () {
      return { resume: !!store.suspend, location: store.location || "", suspend: store.suspend || "",
               learner: "", passMark: null, count: store.count || 0 };
    };
    this.save = function (loc, data) { store.location = loc; store.suspend = data; };
    this.exit = function () {};
    this.time = function () {};
    this.score = function (pct) { store.score = pct; };
    this.status = function (s) { store.completion = s.completion; store.success = s.success; };
    this.interaction = function (n) { store.count = n + 1; };
    this.commit = persist;
    this.finish = persist;
  }

  root.CKLms = { findAPI: findAPI, Lms: Lms, Local: Local };
})(this);
