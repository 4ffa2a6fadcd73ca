/* SCORM runtime adapters: 1.2, 2004 and standalone (localStorage), one small interface:
   start, read, save, exit, time, score, status, interaction, commit, finish, errors, kind.
   The SCORM adapter also owns resume, result floors, interaction numbering and the session clock. */
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

  // What the LMS already holds must never go down on a relaunch. 1.2 has one field: "failed" and
  // "completed" rank alike (either may follow the other), "passed" is the top.
  var RANK12 = { browsed: 1, incomplete: 1, failed: 2, completed: 2, passed: 3 };
  var COMPLETION = ["unknown", "not attempted", "incomplete", "completed"], SUCCESS = ["unknown", "failed", "passed"];
  function rank(v, field, value) {
    var list = field === "s12" ? null : field === "completion" ? COMPLETION : SUCCESS;
    var r = list ? list.indexOf(value) + 1 : RANK12[value] || 0;
    return r > 0 ? r : 0;  // anything else ("", "undefined" from a broken runtime) ranks lowest
  }
  function b36(n, w) { n = Math.max(0, Math.floor(n)).toString(36); while (n.length < w) n = "0" + n; return n.slice(-w); }

  // suspend_data = this layer's header + the player's payload (core.js encodeState), so resume and
  // numbering need no honest cmi.entry or _count. Header (fixed width, exporters/scorm/data.py
  // LMS_HEADER): "~", course signature (6), interactions sent (3, base 36), best status as written
  // (2: completion or 1.2 status, success; index+1 in the lists above, 0 = none), best score (3:
  // hundredths + 1, 0 = none).
  var HEAD = 15, S12 = ["browsed", "incomplete", "failed", "completed", "passed"];
  function parseHead(text, v) {
    if (typeof text !== "string" || text.charAt(0) !== "~" || text.length < HEAD) return null;
    var num = function (a, b) { var n = parseInt(text.slice(a, b), 36); return isNaN(n) ? 0 : n; };
    var c = num(10, 11) - 1, s = num(11, 12) - 1, score = num(12, 15) - 1;
    return { sig: text.slice(1, 7), count: num(7, 10),
             s12: v === "1.2" ? S12[c] || "" : "", completion: v === "1.2" ? "" : COMPLETION[c] || "",
             success: v === "1.2" ? "" : SUCCESS[s] || "", score: score < 0 ? null : score / 100 };
  }

  function Lms(api, v, wantMastery) {
    var self = this, p = v === "1.2" ? "LMS" : "", t0 = Date.now(), sent = 0, held = null;
    // This course's signature; suspend_data with another one is not restored.
    var sig = (root.COURSE_DATA && root.COURSE_DATA.lmsSig) || "";
    var kept = { s12: "", completion: "", success: "", score: null };
    var E = v === "1.2"
      ? { loc: "cmi.core.lesson_location", id: "cmi.core.student_id", exit: "cmi.core.exit",
          time: "cmi.core.session_time", status: "cmi.core.lesson_status", score: "cmi.core.score.",
          mastery: "cmi.student_data.mastery_score", resp: "student_response" }
      : { loc: "cmi.location", id: "cmi.learner_id", exit: "cmi.exit", time: "cmi.session_time",
          score: "cmi.score.", mastery: "cmi.scaled_passing_score", resp: "learner_response" };
    this.kind = v;
    this.errors = [];
    function call(fn, args, quiet) {
      var r = "false", code = "0";
      try { r = String(api[fn].apply(api, args)); } catch (e) { r = "false"; code = "exception"; }
      try { code = String(api[p + "GetLastError"]()); } catch (e) { /* keep */ }
      if (code !== "0" && code !== "" && !quiet) self.errors.push(fn + "(" + (args[0] || "") + "): " + code);
      return r;
    }
    function set(k, val) { return call(p + "SetValue", [k, String(val)]) === "true"; }
    function get(k, quiet) { return call(p + "GetValue", [k], quiet); }
    function num(text) { return text === "" || isNaN(+text) ? null : +text; }
    function higher(field, mine, stored) { return rank(v, field, mine) >= rank(v, field, stored) ? mine : stored; }
    function bestScore(a, b) { return a === null ? b : b === null ? a : Math.max(a, b); }
    this.start = function () { t0 = Date.now(); return call(p + "Initialize", [""]) === "true"; };
    this.read = function () {
      // cmi.entry is not read: runtimes in the field leave it empty or say "ab-initio" on a relaunch.
      // What the LMS holds, status first: in 2004 an unset score answers error 403, so it is read
      // only once there is a success status.
      if (v === "1.2") {
        kept.s12 = get(E.status);
        kept.score = num(get(E.score + "raw"));
      } else {
        kept.completion = get("cmi.completion_status");
        kept.success = get("cmi.success_status");
        if (kept.success === "passed" || kept.success === "failed") kept.score = num(get(E.score + "raw"));
      }
      var count = num(get("cmi.interactions._count")) || 0;  // "" or an error in some runtimes
      var mastery = wantMastery ? get(E.mastery) : "";
      var mark = num(mastery) === null ? null : (v === "1.2" ? +mastery : +mastery * 100);
      var learner = get(E.id);
      // Last, and quiet: on a first launch it is unset, which some runtimes report as error 403.
      var raw = get("cmi.suspend_data", true), head = parseHead(raw, v), payload = head ? "" : raw;
      if (head) {
        // The LMS record belongs to this activity whatever course wrote it: floors and numbering
        // hold even when the state itself is not this course's.
        count = Math.max(count, head.count);
        ["s12", "completion", "success"].forEach(function (f) { kept[f] = higher(f, kept[f], head[f]); });
        kept.score = bestScore(kept.score, head.score);
        if (head.sig === sig) payload = raw.slice(HEAD);
      }
      sent = count;
      return { resume: payload !== "", location: payload ? get(E.loc) : "", suspend: payload,
               learner: learner, passMark: mark, count: count };
    };
    function header() {
      var c = v === "1.2" ? S12.indexOf(kept.s12) : COMPLETION.indexOf(kept.completion);
      return "~" + (sig + "000000").slice(0, 6) + b36(sent, 3) + b36(c + 1, 1) + b36(SUCCESS.indexOf(kept.success) + 1, 1) +
        b36(kept.score === null ? 0 : Math.round(kept.score * 100) + 1, 3);
    }
    this.save = function (loc, data) { set(E.loc, loc); set("cmi.suspend_data", header() + data); };
    this.exit = function (suspend) { set(E.exit, suspend ? "suspend" : (v === "1.2" ? "" : "normal")); };
    // The session clock starts at Initialize; each write is the running total of this session
    // (session_time is per session: the LMS adds it to total_time once).
    this.time = function () { set(E.time, v === "1.2" ? span12(Date.now() - t0) : span2004(Date.now() - t0)); };
    function writeScore(pct) {
      kept.score = pct;
      held = null;
      set(E.score + "min", 0);
      set(E.score + "max", 100);
      set(E.score + "raw", pct);
      if (v !== "1.2") set("cmi.score.scaled", CK.roundTo(pct / 100, 4));
    }
    this.score = function (pct) {
      // The LMS keeps the best result: a lower retake, or a fresh start, never lowers it.
      var best = bestScore(pct, kept.score);
      if (best === kept.score) return;
      // 1.2 LMSs may turn "incomplete" into passed/failed from score.raw and the mastery score
      // (Moodle's "Mastery score overrides status", on by default), so while the status is still
      // incomplete (CE: evaluation pending) the score waits and goes out just before its status.
      if (v === "1.2" && rank(v, "s12", kept.s12) < 2) held = best;
      else writeScore(best);
    };
    this.status = function (s) {
      var fields = v === "1.2" ? [["s12", E.status]] : [["completion", "cmi.completion_status"], ["success", "cmi.success_status"]];
      fields.forEach(function (f) {
        var w = higher(f[0], s[f[0]], kept[f[0]]);
        if (w === kept[f[0]]) return;
        if (held !== null && rank(v, f[0], w) >= 2) writeScore(held);
        kept[f[0]] = w;
        set(f[1], w);
      });
    };
    this.interaction = function (n, r) {
      // Numbering continues after everything this learner has sent, whatever _count said.
      n = Math.max(n, sent);
      sent = n + 1;
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
    // Session time goes with every commit, so a tab closed without Finish still leaves it.
    this.commit = function () { self.time(); return call(p + "Commit", [""]) === "true"; };
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
