/* Course player: screens, quizzes and tracking through the adapters of lms.js.
   Status rules: docs/scorm.md. */
(function () {
  "use strict";
  var D = window.COURSE_DATA, CK = window.CK, doc = document;
  var findAPI = window.CKLms.findAPI, Lms = window.CKLms.Lms, Local = window.CKLms.Local;

  // ------------------------------------------------------------------ DOM helpers
  function h(tag, attrs, kids) {
    var el = doc.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "text") el.textContent = v;
      else if (k.slice(0, 2) === "on") el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? "" : v);
    });
    (kids || []).forEach(function (c) {
      if (c !== null && c !== undefined && c !== false) el.appendChild(typeof c === "string" ? doc.createTextNode(c) : c);
    });
    return el;
  }
  function $(id) { return doc.getElementById(id); }
  function byId(list, id) { return list.filter(function (x) { return x.id === id; })[0]; }
  function announce(text) {
    var live = $("live");
    live.textContent = "";
    setTimeout(function () { live.textContent = text; }, 50);
  }

  // Lesson HTML was sanitized at build time; clean it again here in an inert document, so that even
  // a tampered data file cannot run script (no <script>, no on* handlers, no javascript: URLs).
  var TAGS = "A ABBR ASIDE BLOCKQUOTE BR CODE DIV EM H2 H3 H4 H5 H6 HR IMG LI OL P PRE SECTION STRONG " +
    "TABLE TBODY TD TH THEAD TR UL";
  var ATTRS = ["class", "href", "title", "src", "alt", "scope", "data-lines", "data-minutes"];
  var DROP = /^(SCRIPT|STYLE|IFRAME|FRAME|OBJECT|EMBED|TEMPLATE|NOSCRIPT|SVG|MATH|FORM|INPUT|BUTTON|SELECT|TEXTAREA|LINK|META|BASE)$/;
  function safeUrl(url, img) {
    url = (url || "").trim();
    return img ? /^(https?:\/\/|[\w][\w\-./]*$)/i.test(url) : /^(https?:\/\/|mailto:|#)/i.test(url);
  }
  function clean(node) {
    Array.prototype.slice.call(node.childNodes).forEach(function (c) {
      if (c.nodeType === 3) return;
      if (c.nodeType !== 1) { node.removeChild(c); return; }
      if (TAGS.split(" ").indexOf(c.tagName) < 0) {
        if (!DROP.test(c.tagName)) { clean(c); while (c.firstChild) node.insertBefore(c.firstChild, c); }
        node.removeChild(c);
        return;
      }
      Array.prototype.slice.call(c.attributes).forEach(function (a) {
        var n = a.name.toLowerCase();
        if (ATTRS.indexOf(n) < 0 || ((n === "href" || n === "src") && !safeUrl(a.value, n === "src"))) c.removeAttribute(a.name);
      });
      if (c.tagName === "A" && /^https?:/i.test(c.getAttribute("href") || "")) {
        // Inside an LMS frame a plain link would replace the course, so external links open a tab.
        c.setAttribute("target", "_blank");
        c.setAttribute("rel", "noopener noreferrer");
        c.appendChild(h("span", { "class": "visually-hidden", text: " (opens in a new tab)" }));
      }
      clean(c);
    });
  }
  function fragment(html) {
    var inert = new DOMParser().parseFromString("<!DOCTYPE html><html><body>" + html + "</body></html>", "text/html");
    clean(inert.body);
    var f = doc.createDocumentFragment();
    while (inert.body.firstChild) f.appendChild(doc.adoptNode(inert.body.firstChild));
    return f;
  }

  // A cmi5 launch (xAPI parameters in the URL) wins over any SCORM API a frame above might offer.
  var cmi5 = window.CKCmi5 ? window.CKCmi5.launch() : null;
  var api = cmi5 ? null : findAPI(D.scorm === "1.2" ? "API" : "API_1484_11");
  var storeKey = "course-kit:" + D.course + ":" + D.version + ":" + D.edition;
  var lms = cmi5 || (api ? new Lms(api, D.scorm, D.pass !== null) : new Local(storeKey));
  var offline = false;
  if (!lms.start()) { lms = new Local(storeKey); offline = true; }
  var info = lms.read();
  var passMark = info.passMark !== null && D.pass !== null ? info.passMark : D.pass;
  var st = CK.decodeState(D, info.suspend) || CK.emptyState(D);
  var seedBase = info.learner || "learner", nextInteraction = info.count;
  var started = Date.now(), finished = false, reported = {};
  var cur = Math.max(0, D.screens.map(function (s) { return s.id; }).indexOf(info.location));

  // ------------------------------------------------------------------ quiz logic
  function salt(item) { return CK.itemSalt(D.course, D.version, item.id); }
  function seed(qi) { return seedBase + "|" + D.quizzes[qi].id + "|" + st.quizzes[qi].att; }
  function shownItems(qi) {
    var q = D.quizzes[qi], s = seed(qi);
    var ids = q.per ? CK.stratifiedDraw(q.items.map(function (i) { return [i.id, i.obj]; }), q.per, q.draw, s)
      : CK.draw(q.items.map(function (i) { return i.id; }), q.draw, s);
    if (q.shuf) ids = CK.shuffled(ids, s + ":order");
    return ids.map(function (id) { return byId(q.items, id); });
  }
  function choices(qi, item, list) { return D.quizzes[qi].shuf ? CK.shuffled(list, seed(qi) + ":" + item.id) : list; }
  function quizPct(qis) {
    var items = [], responses = {};
    qis.forEach(function (qi) {
      items = items.concat(shownItems(qi));
      Object.keys(st.quizzes[qi].r).forEach(function (k) { responses[k] = st.quizzes[qi].r[k]; });
    });
    return CK.percentage(items, items.map(salt), responses);
  }
  function counted() { return D.quizzes.map(function (q, i) { return q.counts ? i : -1; }).filter(function (i) { return i >= 0; }); }
  function status() {
    var qis = counted(), lessonsSeen = D.screens.every(function (s, i) { return s.t !== "lesson" || st.visited[i]; });
    var assessed = D.assess ? qis.every(function (i) { return st.quizzes[i].sub; }) : true;
    var pct = D.assess && assessed ? quizPct(qis) : null;
    var success = pct === null ? "unknown" : pct >= passMark ? "passed" : "failed";
    var complete = lessonsSeen && assessed && (!D.eval || st.evalDone);
    return {
      pct: pct, success: success, completion: complete ? "completed" : "incomplete",
      s12: D.assess ? (assessed && (!D.eval || st.evalDone) ? success : "incomplete") : (lessonsSeen ? "completed" : "incomplete"),
      retaking: qis.some(function (i) { return st.quizzes[i].att > 1 && !st.quizzes[i].sub; }),
      attemptsLeft: qis.some(function (i) { return st.quizzes[i].att < D.quizzes[i].att; })
    };
  }

  // ------------------------------------------------------------------ tracking
  function save() { if (!finished) lms.save(D.screens[cur].id, CK.encodeState(D, st)); }
  function commit() {
    if (finished) return;
    var ok = lms.commit(), note = $("notice");
    note.hidden = ok && !offline;
    note.textContent = ok ? (offline ? "Could not connect to the learning system. Your progress is kept in this browser only." : "")
      : "Your progress could not be saved to the learning system just now. You can carry on; it is sent again at your next step.";
  }
  function report() {
    if (finished) return;
    var s = status(), changed = false;
    // During a retake the LMS keeps the last result until the new attempt is submitted.
    if (!s.retaking) {
      if (s.pct !== null && s.pct !== reported.pct) { lms.score(s.pct); reported.pct = s.pct; changed = true; }
      var key = [s.completion, s.success, s.s12].join();
      if (key !== reported.key) { lms.status(s); reported.key = key; changed = true; }
    }
    var unfinished = s.completion !== "completed" || s.retaking || (s.success === "failed" && s.attemptsLeft);
    if (unfinished !== reported.unfinished) { lms.exit(unfinished); reported.unfinished = unfinished; }
    save();
    commit();
    return changed;
  }
  function record(qi, item) {
    var r = st.quizzes[qi].r[item.id], q = D.quizzes[qi], type, parts;
    if (item.k === "ma") {
      type = "matching";
      parts = item.p.map(function (p) { return [p.id, r[p.id]]; });
    } else {
      type = { sc: "choice", mr: "choice", tf: "true-false", or: "sequencing" }[item.k];
      parts = Array.isArray(r) ? r : [r];
    }
    var c = CK.credit(item, salt(item), r);
    lms.interaction(nextInteraction++, { id: q.id + "." + item.id + "." + st.quizzes[qi].att, type: type, parts: parts,
      result: c === 1, weight: item.pts, desc: item.stem, when: new Date() });
  }
  function finish() {
    if (finished) return;
    save();
    lms.time(Date.now() - started);
    finished = true;
    lms.finish();
  }
  window.addEventListener("pagehide", finish);
  doc.addEventListener("visibilitychange", function () {
    if (doc.visibilityState === "hidden" && !finished) { lms.time(Date.now() - started); save(); commit(); }
  });

  // ------------------------------------------------------------------ screens
  function go(i, focus) {
    cur = i;
    st.visited[i] = true;
    render(focus);
    report();
  }
  function pager() {
    var prev = D.screens[cur - 1], next = D.screens[cur + 1];
    return h("nav", { "class": "pager", "aria-label": "Previous and next" }, [
      prev ? h("button", { type: "button", "class": "secondary", onclick: function () { go(cur - 1, true); } },
        ["Previous", h("span", { "class": "visually-hidden", text: ": " + prev.title })]) : null,
      next ? h("button", { type: "button", "class": "next", onclick: function () { go(cur + 1, true); } },
        ["Next: " + next.title]) : null
    ]);
  }
  function renderToc() {
    var list = $("toc-list"), done = st.visited.filter(Boolean).length;
    list.textContent = "";
    D.screens.forEach(function (s, i) {
      list.appendChild(h("li", { "class": st.visited[i] ? "seen" : null }, [
        h("a", { href: "#" + s.id, "aria-current": i === cur ? "page" : null,
                 onclick: function (e) { e.preventDefault(); if (window.innerWidth < 900) $("toc").open = false; go(i, true); } },
          [s.title, st.visited[i] ? h("span", { "class": "tick" }, [h("span", { "aria-hidden": "true", text: " ✓" }),
            h("span", { "class": "visually-hidden", text: " (visited)" })]) : null])
      ]));
    });
    $("progress-text").textContent = "Progress: " + done + " of " + D.screens.length + " parts visited";
    $("bar-fill").style.width = Math.round(100 * done / D.screens.length) + "%";
  }
  function render(focus) {
    var s = D.screens[cur], main = $("main");
    main.textContent = "";
    var title = s.t === "lesson" ? "Lesson " + s.n + ": " + s.title : s.title;
    main.appendChild(h("h1", { id: "screen-title", tabindex: "-1", text: title }));
    doc.title = title + " – " + D.title;
    if (finished) {
      main.appendChild(h("p", { text: "Your progress has been saved. You can now close this window." }));
    } else if (s.t === "page" || s.t === "lesson") renderLesson(main, s);
    else if (s.t === "quiz") renderQuiz(main, s.q);
    else if (s.t === "eval") renderEval(main);
    else renderResults(main);
    if (!finished) main.appendChild(pager());
    renderToc();
    if (focus) $("screen-title").focus();
  }
  function renderLesson(main, s) {
    if (s.obj && s.obj.length) {
      main.appendChild(h("section", { "class": "objectives", "aria-labelledby": "obj-h" }, [
        h("h2", { id: "obj-h", text: "In this lesson you will" }),
        h("ul", {}, s.obj.map(function (o) { return h("li", { text: o }); }))]));
    }
    var body = h("div", { "class": "content" });
    body.appendChild(fragment(s.html));
    main.appendChild(body);
    if (s.terms && s.terms.length) {
      main.appendChild(h("section", { "class": "terms", "aria-labelledby": "terms-h" }, [
        h("h2", { id: "terms-h", text: "Key terms" }),
        h("dl", {}, [].concat.apply([], s.terms.map(function (t) { return [h("dt", { text: t[0] }), h("dd", { text: t[1] })]; })))]));
    }
  }

  // ---- quiz
  function answered(item, r) {
    if (item.k === "mr") return Array.isArray(r) && r.length > 0;
    if (item.k === "ma") return !!r && item.p.every(function (p) { return !!r[p.id]; });
    if (item.k === "or") return true;
    return typeof r === "string";
  }
  function verdict(c) { return c === 1 ? "Correct" : c === 0 ? "Not correct" : "Partly correct"; }
  function feedback(qi, item, showWhy) {
    var sl = salt(item), r = st.quizzes[qi].r[item.id], c = CK.credit(item, sl, r), lines = [];
    function fb(x) { return CK.unmask(sl + "|f:" + x.id, x.f); }
    if (item.k === "sc" || item.k === "tf" || item.k === "mr") {
      (Array.isArray(r) ? r : [r]).forEach(function (id) {
        var o = byId(item.o, id);
        if (o) lines.push((item.k === "mr" ? o.t + ": " : "") + fb(o));
      });
    } else if (item.k === "ma") {
      item.p.forEach(function (p) {
        var a = byId(item.a, r[p.id]), ok = CK.matchRight(item, sl, p, r[p.id]);
        lines.push(p.t + " → " + (a ? a.t : "no answer") + ": " + (ok ? "right. " : "not right. ") + fb(p));
      });
    } else {
      r.forEach(function (id, n) {
        var step = byId(item.s, id);
        lines.push((n + 1) + ". " + step.t + ": " + (CK.stepRight(item, sl, id, n) ? "right place. " : "not in the right place. ") + fb(step));
      });
    }
    var pts = CK.roundTo(CK.points(item, sl, r), 2);
    return h("div", { "class": "fb " + (c === 1 ? "ok" : c === 0 ? "no" : "part") }, [
      h("p", { "class": "verdict", text: verdict(c) + " (" + pts + " of " + item.pts + (item.pts === 1 ? " point)" : " points)") }),
      lines.length > 1 ? h("ul", {}, lines.map(function (l) { return h("li", { text: l }); })) : h("p", { text: lines[0] || "" }),
      showWhy ? h("p", { "class": "why" }, [h("strong", { text: "Why: " }), CK.unmask(sl + "|ra", item.ra)]) : null
    ]);
  }
  function setResponse(qi, item, value) { st.quizzes[qi].r[item.id] = value; save(); }
  function controls(qi, item, qid, locked) {
    var r = st.quizzes[qi].r[item.id];
    if (item.k === "sc" || item.k === "tf" || item.k === "mr") {
      var multi = item.k === "mr", opts = item.k === "tf" ? item.o : choices(qi, item, item.o);
      return h("div", { "class": "options" }, opts.map(function (o, n) {
        var id = qid + "-o" + n, on = multi ? Array.isArray(r) && r.indexOf(o.id) >= 0 : r === o.id;
        var input = h("input", { type: multi ? "checkbox" : "radio", name: qid, id: id, value: o.id, checked: on, disabled: locked,
          onchange: function () {
            var now = st.quizzes[qi].r[item.id];
            if (!multi) return setResponse(qi, item, o.id);
            now = Array.isArray(now) ? now.filter(function (x) { return x !== o.id; }) : [];
            if (input.checked) now.push(o.id);
            setResponse(qi, item, now.length ? now : null);
          } });
        input.checked = on;
        return h("div", { "class": "option" }, [input, h("label", { "for": id }, [o.t,
          locked && on ? h("span", { "class": "mine", text: " (your answer)" }) : null])]);
      }));
    }
    if (item.k === "ma") {
      var answers = choices(qi, item, item.a);
      return h("div", { "class": "matches" }, item.p.map(function (p, n) {
        var id = qid + "-p" + n;
        var sel = h("select", { id: id, disabled: locked, onchange: function () {
          var now = Object.assign({}, st.quizzes[qi].r[item.id] || {});
          if (sel.value) now[p.id] = sel.value; else delete now[p.id];
          setResponse(qi, item, Object.keys(now).length ? now : null);
        } }, [h("option", { value: "", text: "Choose an answer" })].concat(answers.map(function (a) {
          return h("option", { value: a.id, selected: r && r[p.id] === a.id, text: a.t });
        })));
        return h("div", { "class": "match" }, [h("label", { "for": id, text: p.t }), sel]);
      }));
    }
    var order = Array.isArray(r) ? r : item.s.map(function (s) { return s.id; });
    var list = h("ol", { "class": "order" });
    function move(id, by, btn) {
      var now = (st.quizzes[qi].r[item.id] || order).slice(), at = now.indexOf(id), to = at + by, step = byId(item.s, id);
      if (to < 0 || to >= now.length) { announce(step.t + " is already " + (by < 0 ? "first." : "last.")); return; }
      now.splice(at, 1);
      now.splice(to, 0, id);
      setResponse(qi, item, now);
      var li = btn.closest("li");
      if (by < 0) list.insertBefore(li, li.previousSibling); else list.insertBefore(li.nextSibling, li);
      btn.focus();
      announce(step.t + " moved to position " + (to + 1) + " of " + now.length + ".");
    }
    order.forEach(function (sid) {
      var step = byId(item.s, sid);
      list.appendChild(h("li", {}, [h("div", { "class": "row" }, [h("span", { "class": "step", text: step.t }),
        locked ? null : h("span", { "class": "moves" }, [
          h("button", { type: "button", "class": "secondary small", "aria-label": "Move up: " + step.t,
                        onclick: function (e) { move(sid, -1, e.currentTarget); } }, ["Up"]),
          h("button", { type: "button", "class": "secondary small", "aria-label": "Move down: " + step.t,
                        onclick: function (e) { move(sid, 1, e.currentTarget); } }, ["Down"])])])]));
    });
    return list;
  }
  function renderQuiz(main, qi) {
    var q = D.quizzes[qi], qs = st.quizzes[qi], items = shownItems(qi);
    var pct = qs.sub ? quizPct([qi]) : null, passed = pct !== null && pct >= (q.counts ? passMark : q.pass);
    var showWhy = qs.sub && (!q.counts || passed || qs.att >= q.att);
    main.appendChild(h("p", { "class": "quiz-info", text: items.length + (items.length === 1 ? " question. " : " questions. ") +
      (q.counts ? "This test counts toward your result; the pass mark is " + passMark + "%. "
        : "Practice: this quiz does not count toward your result. ") + "Attempt " + qs.att + " of " + q.att + "." }));
    var form = h("form", { novalidate: true, "aria-describedby": "form-msg" });
    items.forEach(function (item, n) {
      var qid = "q" + qi + "-" + n, legend = h("legend", {}, [h("span", { "class": "qn", text: "Question " + (n + 1) + " of " + items.length + ". " }), item.stem]);
      if (item.k === "mr") legend.appendChild(h("span", { "class": "hint", text: " Select all that apply." }));
      if (item.k === "ma") legend.appendChild(h("span", { "class": "hint", text: " Choose the answer that goes with each item." }));
      if (item.k === "or") legend.appendChild(h("span", { "class": "hint", text: " Put the steps in order with the Up and Down buttons." }));
      form.appendChild(h("fieldset", { "class": "q", id: qid }, [legend, controls(qi, item, qid, qs.sub),
        qs.sub ? feedback(qi, item, showWhy) : null]));
    });
    form.appendChild(h("p", { id: "form-msg", "class": "form-msg" }));
    if (!qs.sub) form.appendChild(h("button", { type: "submit", text: "Submit answers" }));
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var missing = items.filter(function (it) { return !answered(it, qs.r[it.id]); });
      if (missing.length) {
        var nums = missing.map(function (it) { return items.indexOf(it) + 1; });
        var msg = "Please answer question" + (nums.length > 1 ? "s " : " ") + nums.join(", ") + " before you submit.";
        $("form-msg").textContent = msg;
        announce(msg);
        var first = doc.querySelector("#q" + qi + "-" + (nums[0] - 1) + " input, #q" + qi + "-" + (nums[0] - 1) + " select");
        if (first) first.focus();
        return;
      }
      items.forEach(function (it) {
        if (it.k === "or" && !Array.isArray(qs.r[it.id])) qs.r[it.id] = it.s.map(function (s) { return s.id; });
      });
      qs.sub = true;
      items.forEach(function (it) { record(qi, it); });
      report();
      render(false);
      var box = $("quiz-result");
      box.focus();
      announce(box.textContent);
    });
    main.appendChild(form);
    if (qs.sub) {
      var left = q.att - qs.att;
      main.appendChild(h("section", { id: "quiz-result", "class": "result " + (passed ? "pass" : "fail"), tabindex: "-1",
        "aria-labelledby": "result-h" }, [
        h("h2", { id: "result-h", text: "Your score: " + pct + "%" }),
        h("p", { text: (passed ? "You reached the pass mark of " : "You did not reach the pass mark of ") + (q.counts ? passMark : q.pass) + "%." +
          (!passed && left > 0 ? " You can try again (" + left + (left === 1 ? " attempt" : " attempts") + " left)." : "") }),
        !passed && left > 0 ? h("button", { type: "button", "class": "secondary", onclick: function () {
          qs.att += 1;
          qs.sub = false;
          qs.r = {};
          render(true);
          report();
        } }, ["Try again"]) : null]));
    }
  }

  // ---- evaluation
  function renderEval(main) {
    var ev = D.eval;
    if (ev.intro) main.appendChild(h("p", { text: ev.intro }));
    if (st.evalDone) { main.appendChild(h("p", { id: "eval-done", "class": "result pass", tabindex: "-1", text: "Thank you. Your evaluation has been submitted." })); return; }
    main.appendChild(h("p", { text: "Your answers are anonymous to other learners and help us improve the course. Every question is optional." }));
    var form = h("form", { novalidate: true });
    ev.qs.forEach(function (q, n) {
      var id = "ev-" + n;
      if (q.k === "comment") {
        form.appendChild(h("div", { "class": "q" }, [h("label", { "for": id, "class": "label", text: q.stem }),
          h("textarea", { id: id, name: q.id, rows: q.lines, maxlength: 4000 })]));
        return;
      }
      form.appendChild(h("fieldset", { "class": "q" }, [h("legend", { text: q.stem }), h("div", { "class": "options" + (q.k === "likert" ? " scale" : "") },
        q.c.map(function (c, m) {
          return h("div", { "class": "option" }, [h("input", { type: "radio", name: q.id, id: id + "-" + m, value: String(m + 1) }),
            h("label", { "for": id + "-" + m, text: c })]);
        }))]));
    });
    form.appendChild(h("button", { type: "submit", text: "Submit evaluation" }));
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      ev.qs.forEach(function (q) {
        var field = form.elements[q.id], value = field ? field.value : "";
        if (!value || !value.trim()) return;
        var parts = [q.k === "choice" ? "c" + value : value];
        lms.interaction(nextInteraction++, { id: ev.id + "." + q.id, type: q.k === "comment" ? "long-fill-in" : q.k === "likert" ? "likert" : "choice",
          parts: parts, result: null, weight: null, desc: q.stem, when: new Date() });
      });
      st.evalDone = true;
      report();
      render(false);
      $("eval-done").focus();
      announce("Thank you. Your evaluation has been submitted.");
    });
    main.appendChild(form);
  }

  // ---- results
  function renderResults(main) {
    var s = status(), rows = [], lessons = 0, seen = 0;
    D.screens.forEach(function (x, i) { if (x.t === "lesson") { lessons++; if (st.visited[i]) seen++; } });
    rows.push("Lessons visited: " + seen + " of " + lessons + ".");
    D.quizzes.forEach(function (q, qi) {
      var qs = st.quizzes[qi];
      rows.push(q.title + ": " + (qs.sub ? quizPct([qi]) + "%" + (q.counts ? (quizPct([qi]) >= passMark ? " (passed)" : " (not passed)") : " (practice)")
        : "not submitted yet") + ".");
    });
    if (D.eval) rows.push(D.eval.title + ": " + (st.evalDone ? "submitted." : "not submitted yet."));
    var head;
    if (!D.assess) head = s.completion === "completed" ? "You have completed the course." : "Visit every lesson to complete the course.";
    else if (s.pct === null) head = "Finish the " + (D.assess === "final" ? "final test" : "quizzes") + " to get your result.";
    else head = (s.success === "passed" ? "You passed with " : "You did not pass. Your score is ") + s.pct + "% (pass mark " + passMark + "%).";
    main.appendChild(h("p", { "class": "result " + (s.success === "failed" ? "fail" : "pass"), text: head }));
    main.appendChild(h("h2", { text: "Your progress" }));
    main.appendChild(h("ul", {}, rows.map(function (r) { return h("li", { text: r }); })));
    if (D.eval) main.appendChild(h("p", { text: "Your certificate is issued once you have passed the final test and submitted the evaluation." }));
    main.appendChild(h("h2", { text: "Leaving the course" }));
    main.appendChild(h("p", { text: lms.kind === "standalone" ? "Your progress is kept in this browser." :
      "Your progress is saved to your learning system. You can come back later and continue where you left off." }));
    main.appendChild(h("button", { type: "button", id: "exit", onclick: function () { report(); finish(); render(true); announce("Your progress has been saved."); } },
      ["Save and exit"]));
  }

  window.CoursePlayer = {
    mode: lms.kind, errors: lms.errors,
    state: function () { return CK.encodeState(D, st); }
  };
  if (window.matchMedia && window.matchMedia("(min-width: 900px)").matches) $("toc").open = true;
  st.visited[cur] = true;
  render(false);
  report();
})();
