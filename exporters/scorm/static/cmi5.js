/* cmi5 adapter: the player's LMS interface (start, read, save, exit, time, score, status, interaction, commit,
   finish, errors, kind) spoken as xAPI to the LRS named in the cmi5 launch URL.
   Calls are synchronous XHR so the player's flow stays as with SCORM; the last statements of a page going away
   use fetch(keepalive), the one request a browser still sends during unload. */
(function (root) {
  "use strict";
  var V = "http://adlnet.gov/expapi/verbs/";
  var CAT = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
  var MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon";
  var STATE_ID = "course-kit.suspend";
  var SEP = "[,]", PAIR = "[.]";

  function uuid() {
    if (root.crypto && root.crypto.randomUUID) return root.crypto.randomUUID();
    var b = new Uint8Array(16);
    root.crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function iso(ms) {
    var cs = Math.round(ms / 10), s = Math.floor(cs / 100), frac = cs % 100;
    return "PT" + Math.floor(s / 3600) + "H" + (Math.floor(s / 60) % 60) + "M" + (s % 60) + "." + (frac < 10 ? "0" : "") + frac + "S";
  }
  function copy(o) { return JSON.parse(JSON.stringify(o || {})); }

  /* The launch parameters, or null when the page was not launched by a cmi5 LMS. */
  function launchParams() {
    var q = new URLSearchParams(root.location.search), out = {};
    var names = ["endpoint", "fetch", "registration", "activityId", "actor"];
    for (var i = 0; i < names.length; i++) {
      var v = q.get(names[i]);
      if (!v) return null;
      out[names[i]] = v;
    }
    try { out.actor = JSON.parse(out.actor); } catch (e) { return null; }
    out.endpoint = out.endpoint.replace(/\/?$/, "/");
    return out;
  }

  function Cmi5(L, meta) {
    var self = this, token = "", launch = {}, started = Date.now(), terminated = false;
    // What this registration has already reported lives in the state document, so that a relaunch never
    // sends a second "completed" or "passed" (cmi5 allows each once per registration).
    var sentCompleted = false, sentResult = "", failedThisSession = false, saved = null, dirty = false;
    var lastPct = null, wantsExit = false, count = 0;
    this.kind = "cmi5";
    this.errors = [];
    // Registered before the player's own pagehide handler (this file loads first), so finish() knows that
    // synchronous requests are no longer allowed.
    var unloading = false;
    root.addEventListener("pagehide", function () { unloading = true; });

    function request(method, url, body, type) {
      var x = new XMLHttpRequest();
      try {
        x.open(method, url, false);
        x.setRequestHeader("X-Experience-API-Version", "1.0.3");
        if (token) x.setRequestHeader("Authorization", "Basic " + token);
        if (body !== undefined) x.setRequestHeader("Content-Type", type || "application/json");
        x.send(body === undefined ? null : body);
      } catch (e) {
        self.errors.push(method + " " + url + ": " + e.message);
        return null;
      }
      if (x.status >= 300 && !(method === "GET" && x.status === 404)) {
        self.errors.push(method + " " + url.split("?")[0] + ": " + x.status);
        return null;
      }
      return x;
    }
    function stateUrl(stateId) {
      return L.endpoint + "activities/state?" + new URLSearchParams({
        activityId: L.activityId, agent: JSON.stringify(L.actor), registration: L.registration, stateId: stateId
      }).toString();
    }
    function context(cmi5Defined, moveOn, extra) {
      var c = copy(launch.contextTemplate);
      c.registration = L.registration;
      if (cmi5Defined) {
        c.contextActivities = c.contextActivities || {};
        var cats = c.contextActivities.category || [];
        cats.push({ id: CAT, objectType: "Activity" });
        if (moveOn) cats.push({ id: MOVEON, objectType: "Activity" });
        c.contextActivities.category = cats;
      }
      if (extra) {
        c.extensions = c.extensions || {};
        Object.keys(extra).forEach(function (k) { c.extensions[k] = extra[k]; });
      }
      return c;
    }
    function statement(verb, result, ctx, object) {
      var s = { id: uuid(), actor: L.actor, verb: { id: V + verb, display: { "en-US": verb } },
                object: object || { id: L.activityId, objectType: "Activity" }, context: ctx,
                timestamp: new Date().toISOString() };
      if (result) s.result = result;
      return s;
    }
    function send(s) {
      if (terminated) return false;  // cmi5: nothing after terminated
      return !!request("POST", L.endpoint + "statements", JSON.stringify(s));
    }
    function sendLate(list, then) {
      // During unload only a keepalive fetch still goes out; the order is kept by sending one batch.
      try {
        var p = root.fetch(L.endpoint + "statements", {
          method: "POST", keepalive: true, body: JSON.stringify(list),
          headers: { "X-Experience-API-Version": "1.0.3", "Authorization": "Basic " + token,
                     "Content-Type": "application/json" } });
        if (then) p.then(then, then);
      } catch (e) { self.errors.push("terminate: " + e.message); if (then) then(); }
    }
    function flushState(late) {
      if (!dirty || !saved) return true;
      var body = JSON.stringify({ location: saved.location, suspend: saved.suspend, count: count,
                                  completed: sentCompleted, result: sentResult });
      if (late) {
        try {
          root.fetch(stateUrl(STATE_ID), { method: "PUT", keepalive: true, body: body,
            headers: { "X-Experience-API-Version": "1.0.3", "Authorization": "Basic " + token,
                       "Content-Type": "application/json" } });
        } catch (e) { return false; }
        dirty = false;
        return true;
      }
      var ok = !!request("PUT", stateUrl(STATE_ID), body);
      if (ok) dirty = false;
      return ok;
    }
    function normal() { return (launch.launchMode || "Normal") === "Normal"; }

    this.start = function () {
      var x = request("POST", L.fetch);
      if (!x) return false;
      try { token = JSON.parse(x.responseText)["auth-token"] || ""; } catch (e) { token = ""; }
      if (!token) { self.errors.push("fetch: no auth-token"); return false; }
      var ld = request("GET", stateUrl("LMS.LaunchData"));
      if (!ld || ld.status !== 200) { self.errors.push("LMS.LaunchData missing"); return false; }
      try { launch = JSON.parse(ld.responseText) || {}; } catch (e) { launch = {}; }
      return send(statement("initialized", null, context(true, false)));
    };
    this.read = function () {
      var x = request("GET", stateUrl(STATE_ID));
      if (x && x.status === 200) { try { saved = JSON.parse(x.responseText); } catch (e) { saved = null; } }
      if (saved) {
        sentCompleted = !!saved.completed; sentResult = saved.result || ""; count = saved.count || 0;
      }
      var mastery = typeof launch.masteryScore === "number" ? Math.round(launch.masteryScore * 10000) / 100 : null;
      var who = L.actor.account ? L.actor.account.homePage + "|" + L.actor.account.name : (L.actor.mbox || "");
      return { resume: !!(saved && saved.suspend), location: saved ? saved.location || "" : "",
               suspend: saved ? saved.suspend || "" : "", learner: who, passMark: mastery,
               count: saved ? saved.count || 0 : 0 };
    };
    this.save = function (loc, data) { saved = { location: loc, suspend: data }; dirty = true; };
    this.exit = function (suspend) { wantsExit = !suspend; };
    this.time = function () {};
    this.score = function (pct) { lastPct = pct; };
    this.status = function (s) {
      if (!normal()) return;  // Browse and Review launches must not change the LMS's record
      var dur = iso(Date.now() - started);
      if (s.completion === "completed" && !sentCompleted) {
        sentCompleted = send(statement("completed", { completion: true, duration: dur }, context(true, true)));
        dirty = dirty || sentCompleted;
      }
      var fresh = s.success === "passed" ? sentResult !== "passed" : s.success === "failed" && !failedThisSession
        && sentResult !== "passed";
      if (fresh && lastPct !== null) {
        var ok = send(statement(s.success, { success: s.success === "passed", duration: dur,
                                             score: { scaled: Math.round(lastPct * 100) / 10000 } },
                                context(true, true)));
        if (ok) { sentResult = s.success; failedThisSession = failedThisSession || s.success === "failed"; dirty = true; }
      }
    };
    this.interaction = function (n, r) {
      count = Math.max(count, n + 1);
      dirty = true;
      var parts = r.id.split("."), itemId = parts[1] || r.id, info = (meta.items || {})[itemId] || {};
      var response = r.type === "matching" ? r.parts.map(function (p) { return p.join(PAIR); }).join(SEP)
        : r.type === "true-false" ? String(r.parts[0]) : r.parts.join(SEP);
      var ext = {};
      ext[meta.ext + "quiz"] = parts[0];
      ext[meta.ext + "attempt"] = parseInt(parts[2], 10) || 1;
      if (info.obj) ext[meta.ext + "objective"] = info.obj;
      if (info.facts) ext[meta.ext + "facts"] = info.facts;
      var result = { response: response };
      if (r.result !== null) result.success = !!r.result;
      send(statement("answered", result, context(false, false, ext), {
        id: L.activityId.replace(/\/?$/, "/") + "items/" + itemId, objectType: "Activity",
        definition: { type: "http://adlnet.gov/expapi/activities/cmi.interaction", interactionType: r.type,
                      description: { "en-US": r.desc.slice(0, 250) } } }));
    };
    this.commit = function () { return flushState(false); };
    this.finish = function () {
      if (terminated) return true;
      flushState(unloading);
      var last = statement("terminated", { duration: iso(Date.now() - started) }, context(true, false));
      terminated = true;
      var leave = function () {
        if (wantsExit && launch.returnURL && !unloading) root.location.assign(launch.returnURL);
      };
      if (unloading) { sendLate([last]); return true; }
      var ok = !!request("POST", L.endpoint + "statements", JSON.stringify(last));
      leave();
      return ok;
    };
  }

  root.CKCmi5 = {
    /* An adapter when the page was launched by a cmi5 LMS, else null (the SCORM adapters apply). */
    launch: function () {
      var L = launchParams();
      return L ? new Cmi5(L, root.CMI5_META || {}) : null;
    },
    launchParams: launchParams
  };
})(this);
