/* Course player: screens, quizzes and tracking through the adapters of lms.js.
   Status rules: docs/scorm.md. */
(function () {
  "use strict";
  var D = window.COURSE_DATA, CK = window.CK, doc = document;
  var findAPI = window.CKLms.findAPI, Lms = window.CKLms.Lms, Local = window.CKLms.Local;

  // ---- DOM helpers
  // h(tag, attrs, kids): attrs "c" is the class, "text" the text, on* listeners; buttons default to
  // type="button" (a button never submits a form by accident).
  function h(tag, attrs, kids) {
    var el = doc.createElement(tag);
    if (tag === "button") el.type = "button";
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "c") el.className = v;
      else if (k === "text") el.textContent = v;
      else if (k.slice(0, 2) === "on") el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? "" : v);
    });
    (kids || []).forEach(function (c) {
      if (c !== null && c !== undefined && c !== false) el.appendChild(typeof c === "string" ? doc.createTextNode(c) : c);
    });
    return el;
  }
  function $(id) { return doc.getElementById(id); }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
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
        c.appendChild(h("span", { c: "visually-hidden", text: " (opens in a new tab)" }));
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
  if (!lms.start()) lms = new Local(storeKey);
  var info = lms.read();
  var passMark = info.passMark !== null && D.pass !== null ? info.passMark : D.pass;
  var st = CK.decodeState(D, info.suspend) || CK.emptyState(D);
  var seedBase = info.learner || "learner", nextInteraction = info.count;
  var started = Date.now(), finished = false, reported = {};
  var ids = D.screens.map(function (s) { return s.id; });
  var cur = Math.max(0, ids.indexOf(info.location));

  // ---- quiz logic
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

  // ---- tracking
  function save() { if (!finished) lms.save(D.screens[cur].id, CK.encodeState(D, st)); }
  function commit() {
    if (finished) return;
    var ok = lms.commit(), note = $("notice");
    note.hidden = ok;
    note.textContent = ok ? "" :
      "Your progress could not be saved to the learning system just now. You can carry on; it is sent again at your next step.";
    // A quiet indicator, not a live region: saving happens at every step and needs no announcement.
    $("saved").textContent = ok ? (lms.kind === "standalone" ? "Saved in this browser" : "Saved") : "Not saved yet";
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

  // ---- progress
  function isLesson(i) { return D.screens[i].t === "lesson"; }
  function lessonScreens(id) {
    var out = [];
    D.screens.forEach(function (s, i) { if (s.lesson === id && s.t === "lesson") out.push(i); });
    return out;
  }
  function lessonIds() {
    var out = [];
    D.screens.forEach(function (s) { if (s.t === "lesson" && out.indexOf(s.lesson) < 0) out.push(s.lesson); });
    return out;
  }
  function lessonSeen(id) { return lessonScreens(id).filter(function (i) { return st.visited[i]; }).length; }
  function lessonDone(id) { return lessonSeen(id) === lessonScreens(id).length; }
  // Where to take a learner back into a lesson: its first screen not yet seen (or its first screen).
  function lessonResume(id) {
    var all = lessonScreens(id), left = all.filter(function (i) { return !st.visited[i]; });
    return left.length && left.length < all.length ? left[0] : all[0];
  }
  function lessonsLeft() { return lessonIds().filter(function (id) { return !lessonDone(id); }); }
  function locked(s) {
    return D.lock && s.t === "quiz" && D.quizzes[s.q].role === "final" && lessonsLeft().length > 0;
  }
  // Screens that count toward progress: everything a learner works through (not the start or results).
  function countable(s) { return s.t !== "start" && s.t !== "results"; }
  function screenOf(id) { return ids.indexOf(id); }
  function wholePct(p) { return Math.floor(p) + "%"; }  // 79.5 must never read as a pass mark of 80
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  // ---- reflections (this browser only)
  var notesKey = storeKey + ":notes";
  function notes() {
    try { return JSON.parse(window.localStorage.getItem(notesKey) || "{}") || {}; } catch (e) { return {}; }
  }
  function keepNote(k, text) {
    var all = notes();
    if (text.trim()) all[k] = text; else delete all[k];
    try { window.localStorage.setItem(notesKey, JSON.stringify(all)); } catch (e) { /* private mode */ }
  }
  function notesText() {
    var all = notes();
    return [D.title + " (" + D.edTitle + "): my notes", ""].concat(Object.keys(all).map(function (k) {
      var at = screenOf(k.split("#")[0]), s = D.screens[at];
      return (s ? (s.t === "lesson" ? "Lesson " + s.n + ": " + s.title + ", " + s.sec : s.title) : k) + "\n" + all[k] + "\n";
    })).join("\n");
  }
  function notesTools() {
    return h("p", { c: "tools" }, [
      h("button", { c: "secondary small", onclick: function () {
        var a = h("a", { href: URL.createObjectURL(new Blob([notesText()], { type: "text/plain" })), download: "my-notes.txt" });
        doc.body.appendChild(a); a.click(); a.remove();
        setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
      } }, ["Download my notes"]),
      h("button", { c: "secondary small", onclick: printNotes }, ["Print my notes"])]);
  }
  // Prints the notes alone: the page's own content is hidden while they print.
  function printNotes() {
    var box = $("print-notes") || doc.body.appendChild(h("section", { id: "print-notes", c: "print-only", "aria-hidden": "true" }));
    box.textContent = "";
    box.appendChild(h("pre", { text: notesText() }));
    doc.body.classList.add("printing-notes");
    window.addEventListener("afterprint", function () { doc.body.classList.remove("printing-notes"); }, { once: true });
    window.print();
  }
  function addWritingBoxes(body, s) {
    each(body.querySelectorAll(".blk.reflection"), function (box, n) {
      var k = s.id + "#" + n, id = "note-" + n, lines = parseInt(box.getAttribute("data-lines"), 10) || 4;
      var area = h("textarea", { id: id, rows: Math.min(lines, 8), "aria-describedby": id + "-d",
        oninput: function () { keepNote(k, area.value); } });
      area.value = notes()[k] || "";
      box.appendChild(h("label", { "for": id, c: "label", text: "Your answer" }));
      box.appendChild(h("p", { id: id + "-d", c: "hint", text: "Kept only in this browser. It is never sent to your learning system." }));
      box.appendChild(area);
    });
    var boxes = body.querySelectorAll(".blk.reflection");
    if (boxes.length) boxes[boxes.length - 1].appendChild(notesTools());
  }

  // ---- glossary pop-over
  function openGlossary(termIds, opener) {
    var dlg = $("gloss"), list = h("dl", {});
    (termIds || Object.keys(D.gloss)).forEach(function (t) {
      var g = D.gloss[t];
      if (g) { list.appendChild(h("dt", { text: g[0] })); list.appendChild(h("dd", { text: g[1] })); }
    });
    dlg.textContent = "";
    dlg.appendChild(h("h2", { id: "gloss-h", text: termIds ? "Key term" + (termIds.length > 1 ? "s" : "") : "Glossary" }));
    dlg.appendChild(list);
    var close = h("button", { onclick: function () { dlg.close(); } }, ["Close"]);
    dlg.appendChild(close);
    // The close event comes a task after close(): by then the user (or the browser's own focus restore) may
    // have moved on, so hand focus back only if it is still lost in the closed dialog or on the page body.
    dlg.onclose = function () {
      var at = doc.activeElement;
      if (opener && (!at || at === doc.body || dlg.contains(at))) opener.focus();
    };
    dlg.showModal();
    close.focus();
  }

  // ---- screens
  function go(i, focus) {
    cur = i;
    st.visited[i] = true;
    render(focus);
    report();
  }
  function label(s) {
    if (s.t === "start") return "Start";
    if (s.t === "lesson") return s.part > 1 ? s.sec : "Lesson " + s.n + ": " + s.title;
    return s.title;
  }
  // A link to screen ``at`` (a real href, so it can be opened, copied or read out as a link).
  function link(at, text) {
    return h("a", { href: "#" + ids[at], onclick: function (e) { e.preventDefault(); go(at, true); } }, [text]);
  }
  function pager() {
    var prev = D.screens[cur - 1], next = D.screens[cur + 1];
    return h("nav", { c: "pager", "aria-label": "Previous and next" }, [
      prev && prev.t !== "start" ? h("button", { c: "secondary", onclick: function () { go(cur - 1, true); } },
        ["Previous", h("span", { c: "visually-hidden", text: ": " + label(prev) })]) : null,
      next ? h("button", { c: "next", onclick: function () { go(cur + 1, true); } },
        ["Next: " + label(next)]) : null
    ]);
  }
  function tocEntry(s, i) {
    var state = "", target = i;
    if (s.t === "lesson") {
      var all = lessonScreens(s.lesson).length, seen = lessonSeen(s.lesson);
      state = seen === all ? "done" : seen ? seen + " of " + all + " screens" : "not started";
      target = lessonResume(s.lesson);
    } else if (locked(s)) state = "locked";
    else if (s.t === "quiz") state = st.quizzes[s.q].sub ? "done" : "";
    else if (s.t === "eval") state = st.evalDone ? "done" : "";
    else if (s.t !== "results" && s.t !== "start") state = st.visited[i] ? "done" : "";
    var here = s.t === "lesson" ? D.screens[cur].lesson === s.lesson && isLesson(cur) : i === cur;
    return h("li", { c: state === "done" ? "seen" : state === "locked" ? "locked" : null }, [
      h("a", { href: "#" + s.id, "aria-current": here ? "page" : null,
               onclick: function (e) { e.preventDefault(); if (window.innerWidth < 900) $("toc").open = false; go(target, true); } },
        [h("span", { c: "icon", "aria-hidden": "true", text: s.t === "start" ? "⌂" : state === "done" ? "✓" : state === "locked" ? "⊘" : seenPart(s, i) ? "◐" : "○" }),
         h("span", { c: "lbl" }, [label(s), state ? h("span", { c: "state", text: " (" + state + ")" }) : null])])
    ]);
  }
  function seenPart(s, i) {
    return s.t === "lesson" ? lessonScreens(s.lesson).some(function (x) { return st.visited[x]; }) : st.visited[i];
  }
  function renderToc() {
    var list = $("toc-list"), all = 0, done = 0;
    list.textContent = "";
    D.screens.forEach(function (s, i) {
      if (countable(s)) { all++; if (st.visited[i]) done++; }
      if (!(s.t === "lesson" && s.part > 1)) list.appendChild(tocEntry(s, i));
    });
    $("progress-text").textContent = done + " of " + all + " screens completed";
    $("bar-fill").style.width = Math.round(100 * done / all) + "%";
  }
  function render(focus) {
    var s = D.screens[cur], main = $("main");
    main.textContent = "";
    main.setAttribute("data-screen", s.t);
    // A lesson's later screens continue it (drive.py's next_screen walks through them).
    if (s.t === "lesson" && s.part > 1) main.setAttribute("data-cont", "1"); else main.removeAttribute("data-cont");
    var title = s.t === "lesson" ? "Lesson " + s.n + ": " + s.title : s.title;
    main.appendChild(h("h1", { id: "screen-title", tabindex: "-1", text: title }));
    doc.title = (s.t === "lesson" ? s.sec + " – " : "") + title + " – " + D.title;
    if (finished) {
      main.appendChild(h("p", { text: "Your progress has been saved. You can now close this window." }));
    } else if (s.t === "start") renderStart(main);
    else if (s.t === "page") main.appendChild(raiseHeadings(h("div", { c: "content" }, [fragment(s.html)])));
    else if (s.t === "lesson") renderLesson(main, s);
    else if (locked(s)) renderLocked(main);
    else if (s.t === "quiz") (D.quizzes[s.q].counts ? renderTest : renderPractice)(main, s.q);
    else if (s.t === "eval") renderEval(main);
    else renderResults(main);
    if (!finished && s.t !== "start") main.appendChild(pager());
    renderToc();
    if (focus) $("screen-title").focus();
  }
  function modeNote() {
    return lms.kind === "standalone" ? "Your progress is kept in this browser only." :
      "Your progress is saved to your learning system, so you can stop at any time and continue later.";
  }
  function renderStart(main) {
    var begun = st.visited.some(function (v, i) { return v && countable(D.screens[i]); });
    var goals = [];
    D.screens.forEach(function (s) {
      if (s.obj) goals.push(h("li", {}, [h("details", {}, [h("summary", { text: "Lesson " + s.n + ": " + s.title }),
        h("ul", {}, s.obj.map(function (o) { return h("li", { text: o }); }))])]));
    });
    var hrs = Math.floor(D.minutes / 60), mins = D.minutes % 60;
    main.appendChild(h("div", { c: "start" }, [
      D.sub ? h("p", { c: "lead", text: D.sub }) : null,
      h("ul", { c: "facts" }, [
        h("li", {}, [h("span", { c: "k", text: "Edition " }), D.edTitle]),
        h("li", {}, [h("span", { c: "k", text: "Time " }), "about " + (hrs ? plural(hrs, "hour", "hours") + (mins ? " " : "") : "") + (mins ? plural(mins, "minute", "minutes") : "")]),
        h("li", {}, [h("span", { c: "k", text: "Lessons " }), String(lessonIds().length)])]),
      h("h2", { text: "What you will be able to do" }),
      h("p", { text: "Open a lesson to see its goals." }),
      h("ul", { c: "goals" }, goals),
      D.help ? h("div", { c: "help" }, [fragment(D.help)]) : null,
      h("p", { text: modeNote() }),
      h("p", {}, [h("button", { c: "next start-btn", onclick: function () {
        var first = begun ? st.visited.indexOf(false) : 1;
        go(first > 0 ? first : 1, true);
      } }, [begun ? "Continue where you left off" : "Start the course"])])
    ]));
  }
  function renderLesson(main, s) {
    main.appendChild(h("p", { c: "part", text: "Screen " + s.part + " of " + s.parts + " · about " + s.left +
      " min left in this lesson" }));
    if (s.obj && s.obj.length) {
      main.appendChild(h("section", { c: "objectives", "aria-labelledby": "obj-h" }, [
        h("h2", { id: "obj-h", text: "In this lesson you will" }),
        h("ul", {}, s.obj.map(function (o) { return h("li", { text: o }); }))]));
    }
    var body = h("div", { c: "content" });
    body.appendChild(fragment(s.html));
    raiseHeadings(body);
    addWritingBoxes(body, s);
    main.appendChild(body);
    if (s.terms && s.terms.length) {
      main.appendChild(h("section", { c: "terms", "aria-labelledby": "terms-h" }, [
        h("h2", { id: "terms-h", text: "Key terms" }),
        h("ul", { c: "chips" }, s.terms.filter(function (t) { return D.gloss[t]; }).map(function (t) {
          return h("li", {}, [h("button", { c: "secondary small", "aria-haspopup": "dialog",
            onclick: function (e) { openGlossary([t], e.currentTarget); } }, [D.gloss[t][0]])]);
        }))]));
    }
  }
  // A screen cut from the middle of a lesson (or a page whose repeated title heading was dropped) may
  // reach a box titled h3 before any h2: no heading may skip a level below the one before it.
  function raiseHeadings(body) {
    var prev = 1;
    each(body.querySelectorAll("h2, h3, h4, h5, h6"), function (x) {
      var level = Math.min(+x.tagName[1], prev + 1);
      prev = level;
      if (level === +x.tagName[1]) return;
      var y = doc.createElement("h" + level);
      each(x.attributes, function (a) { y.setAttribute(a.name, a.value); });
      while (x.firstChild) y.appendChild(x.firstChild);
      x.parentNode.replaceChild(y, x);
    });
    return body;
  }
  function renderLocked(main) {
    var left = lessonsLeft();
    main.appendChild(h("div", { c: "result locked" }, [
      h("p", { text: "The final test opens when you have completed every lesson. Still to do:" }),
      h("ul", {}, left.map(function (id) {
        var all = lessonScreens(id), s = D.screens[all[0]];
        return h("li", {}, [link(lessonResume(id), "Lesson " + s.n + ": " + s.title), " (" + lessonSeen(id) + " of " + all.length + " screens)"]);
      }))]));
  }

  // ---- questions
  function answered(item, r) {
    if (item.k === "mr") return Array.isArray(r) && r.length > 0;
    if (item.k === "ma") return !!r && item.p.every(function (p) { return !!r[p.id]; });
    if (item.k === "or") return true;
    return typeof r === "string";
  }
  function verdict(c) { return c === 1 ? "Correct" : c === 0 ? "Not correct" : "Partly correct"; }
  function reviewLink(item) {
    var o = D.objs[item.obj];
    if (!o) return null;
    var at = screenOf(o[1]);
    return h("p", { c: "review" }, [link(at, "Review this section: " + o[2])]);
  }
  function feedback(qi, item, showWhy, withPoints) {
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
    return h("div", { c: "fb " + (c === 1 ? "ok" : c === 0 ? "no" : "part"), tabindex: "-1" }, [
      h("p", { c: "verdict", text: verdict(c) + (withPoints ? " (" + pts + " of " + plural(item.pts, "point)", "points)") : "") }),
      lines.length > 1 ? h("ul", {}, lines.map(function (l) { return h("li", { text: l }); })) : h("p", { text: lines[0] || "" }),
      showWhy && c < 1 ? keyText(item, sl) : null,
      showWhy ? h("p", { c: "why" }, [h("strong", { text: "Why: " }), CK.unmask(sl + "|ra", item.ra)]) : null,
      showWhy && c < 1 ? reviewLink(item) : null
    ]);
  }
  // The right answer in words (matching and ordering; choices are marked on the options themselves).
  function keyText(item, sl) {
    if (item.k === "ma") {
      return h("div", {}, [h("p", { c: "key-h", text: "The right matches:" }), h("ul", {}, item.p.map(function (p) {
        var a = item.a.filter(function (x) { return CK.matchRight(item, sl, p, x.id); })[0];
        return h("li", { text: p.t + " → " + (a ? a.t : "") });
      }))]);
    }
    if (item.k === "or") {
      var order = item.s.map(function (x, n) { return item.s.filter(function (y) { return CK.stepRight(item, sl, y.id, n); })[0]; });
      return h("div", {}, [h("p", { c: "key-h", text: "The right order:" }), h("ol", {}, order.map(function (x) { return h("li", { text: x ? x.t : "" }); }))]);
    }
    return null;
  }
  function setResponse(qi, item, value) { st.quizzes[qi].r[item.id] = value; save(); }
  function controls(qi, item, qid, locked, showKey) {
    var r = st.quizzes[qi].r[item.id], sl = salt(item);
    if (item.k === "sc" || item.k === "tf" || item.k === "mr") {
      var multi = item.k === "mr", opts = item.k === "tf" ? item.o : choices(qi, item, item.o);
      return h("div", { c: "options" }, opts.map(function (o, n) {
        var id = qid + "-o" + n, on = multi ? Array.isArray(r) && r.indexOf(o.id) >= 0 : r === o.id;
        var key = showKey && CK.isKey(item, sl, o);
        var input = h("input", { type: multi ? "checkbox" : "radio", name: qid, id: id, value: o.id, checked: on, disabled: locked,
          onchange: function () {
            var now = st.quizzes[qi].r[item.id];
            if (!multi) return setResponse(qi, item, o.id);
            now = Array.isArray(now) ? now.filter(function (x) { return x !== o.id; }) : [];
            if (input.checked) now.push(o.id);
            setResponse(qi, item, now.length ? now : null);
          } });
        input.checked = on;
        return h("div", { c: "option" + (key ? " key" : showKey && on ? " wrong" : "") }, [input, h("label", { "for": id }, [o.t,
          locked && on ? h("span", { c: "mine", text: " (your answer)" }) : null,
          key ? h("span", { c: "tag", text: " ✓ correct answer" }) : null])]);
      }));
    }
    if (item.k === "ma") {
      var answers = choices(qi, item, item.a);
      return h("div", { c: "matches" }, item.p.map(function (p, n) {
        var id = qid + "-p" + n, chosen = h("p", { c: "chosen", id: id + "-c" });
        function show() { var a = byId(item.a, sel.value); chosen.textContent = a ? "Your choice: " + a.t : ""; }
        var sel = h("select", { id: id, disabled: locked, "aria-describedby": id + "-c", onchange: function () {
          var now = Object.assign({}, st.quizzes[qi].r[item.id] || {});
          if (sel.value) now[p.id] = sel.value; else delete now[p.id];
          setResponse(qi, item, Object.keys(now).length ? now : null);
          show();
        } }, [h("option", { value: "", text: "Choose an answer" })].concat(answers.map(function (a) {
          return h("option", { value: a.id, selected: r && r[p.id] === a.id, text: a.t });
        })));
        show();
        // A phone cuts a long option in the closed select; the full text of the choice is repeated below it.
        return h("div", { c: "match" }, [h("label", { "for": id, text: p.t }), sel, chosen]);
      }));
    }
    var order = Array.isArray(r) ? r : item.s.map(function (s) { return s.id; });
    var list = h("ol", { c: "order" });
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
      list.appendChild(h("li", {}, [h("div", { c: "row" }, [h("span", { c: "step", text: step.t }),
        locked ? null : h("span", { c: "moves" }, [
          h("button", { c: "secondary small", "aria-label": "Move up: " + step.t,
                        onclick: function (e) { move(sid, -1, e.currentTarget); } }, ["Up"]),
          h("button", { c: "secondary small", "aria-label": "Move down: " + step.t,
                        onclick: function (e) { move(sid, 1, e.currentTarget); } }, ["Down"])])])]));
    });
    return list;
  }
  function legend(item, n, count) {
    var el = h("legend", {}, [h("span", { c: "qn", text: "Question " + (n + 1) + " of " + count }), item.stem]);
    // Some stems already say "select all that apply": the hint is not repeated.
    if (item.k === "mr" && !/select all/i.test(item.stem)) el.appendChild(h("span", { c: "hint", text: " Select all that apply." }));
    if (item.k === "ma") el.appendChild(h("span", { c: "hint", text: " Choose the answer that goes with each item." }));
    if (item.k === "or") el.appendChild(h("span", { c: "hint", text: " Put the steps in order with the Up and Down buttons." }));
    return el;
  }
  function fixOrder(qs, it) { if (it.k === "or" && !Array.isArray(qs.r[it.id])) qs.r[it.id] = it.s.map(function (s) { return s.id; }); }
  function problem(fs, text) {
    // The message sits in the question it is about, and focus goes to that question's first control.
    var old = doc.querySelectorAll(".q-err");
    each(old, function (e) { e.remove(); });
    var msg = h("p", { c: "q-err", id: fs.id + "-err", text: text });
    fs.insertBefore(msg, fs.children[1]);
    var first = fs.querySelector("input, select");
    if (first) { first.setAttribute("aria-describedby", msg.id); first.focus(); }
    announce(text);
  }

  // ---- practice: one question per screen, Check gives feedback at once
  var practiceAt = {};
  function renderPractice(main, qi) {
    var q = D.quizzes[qi], qs = st.quizzes[qi], items = shownItems(qi);
    var at = practiceAt[qi];
    // Resume at the first question not yet checked; with every one checked, at the summary.
    if (at === undefined) at = items.map(function (it) { return qs.chk[q.items.indexOf(it)]; }).indexOf(false);
    practiceAt[qi] = at;
    main.appendChild(h("p", { c: "quiz-info", text: "Practice: " + plural(items.length, "question", "questions") +
      ", one at a time. Check each answer to see at once whether it is right and why. " +
      (D.family ? "Try as often as you like." : "Practice does not count toward your result.") }));
    if (at < 0) return practiceSummary(main, qi, items);
    var item = items[at], n = q.items.indexOf(item), checked = qs.chk[n], qid = "q" + qi + "-" + at;
    var fs = h("fieldset", { c: "q", id: qid }, [legend(item, at, items.length), controls(qi, item, qid, checked, checked),
      checked ? feedback(qi, item, true, false) : null]);
    main.appendChild(h("div", { c: "practice" }, [fs]));
    var last = at === items.length - 1;
    main.appendChild(h("p", { c: "actions" }, checked ? [
      h("button", { c: "secondary", onclick: function () {
        qs.chk[n] = false; qs.sub = false; delete qs.r[item.id]; save(); render(false);
        var f = doc.querySelector("#" + qid + " input, #" + qid + " select, #" + qid + " button");
        if (f) f.focus();
      } }, ["Try this question again"]),
      h("button", { c: "go", onclick: function () {
        practiceAt[qi] = last ? -1 : at + 1; render(false); focusFirst(main);
      } }, [last ? "See how you did" : "Next question"])
    ] : [h("button", { c: "go", onclick: function () {
      if (!answered(item, qs.r[item.id])) return problem(fs, "Choose an answer first, then check it.");
      fixOrder(qs, item);
      qs.chk[n] = true;
      record(qi, item);
      qs.sub = items.every(function (it) { return qs.chk[q.items.indexOf(it)]; });
      report();
      render(false);
      var box = doc.querySelector(".fb");
      box.focus();
      announce(box.querySelector(".verdict").textContent);
    } }, [D.family ? "Check my answer" : "Check"])]));
  }
  function focusFirst(main) {
    var t = main.querySelector("#quiz-result, legend");
    if (t && t.tagName === "LEGEND") t = t.parentNode.querySelector("input, select, button");
    if (t) t.focus();
  }
  function practiceSummary(main, qi, items) {
    var q = D.quizzes[qi], qs = st.quizzes[qi], right = 0;
    var rows = items.map(function (it, n) {
      var c = CK.credit(it, salt(it), qs.r[it.id]);
      if (c === 1) right++;
      return h("li", { c: c === 1 ? "met" : "open" }, [
        h("span", { c: "icon", "aria-hidden": "true", text: c === 1 ? "✓" : "○" }),
        h("span", {}, [h("a", { href: "#q" + qi + "-" + n, onclick: function (e) { e.preventDefault(); practiceAt[qi] = n; render(false); focusFirst(main); } },
          ["Question " + (n + 1)]), ": " + (c === 1 ? "right" : c === 0 ? "not right yet" : "partly right"),
          h("span", { c: "stem", text: it.stem })])]);
    });
    var done = qs.sub;
    main.appendChild(h("section", { id: "quiz-result", c: "result", tabindex: "-1", "aria-labelledby": "result-h" }, [
      h("h2", { id: "result-h", text: done ? (D.family ? "You have checked every answer" : "You got " + right + " of " + items.length + " right") : "Not finished yet" }),
      h("ul", { c: "reqs" }, rows),
      h("p", {}, [h("button", { c: "secondary", onclick: function () {
        qs.att = Math.min(q.att, qs.att + 1); qs.sub = false; qs.r = {};
        qs.chk = qs.chk.map(function () { return false; });
        practiceAt[qi] = 0; save(); report(); render(false); focusFirst(main);
      } }, ["Try again"])])]));
  }

  // ---- the graded test: a form that never submits on Enter and confirms before it does
  function renderTest(main, qi) {
    var q = D.quizzes[qi], qs = st.quizzes[qi], items = shownItems(qi), mark = q.role === "final" ? passMark : q.pass;
    var pct = qs.sub ? quizPct([qi]) : null, passed = pct !== null && pct >= mark, left = q.att - qs.att;
    var showWhy = qs.sub && (passed || left <= 0);
    if (qs.sub) main.appendChild(testResult(qi, items, pct, passed, mark, left));
    else main.appendChild(h("p", { c: "quiz-info", text: plural(items.length, "question", "questions") +
      ". This test counts toward your result; the pass mark is " + mark + "%. Attempt " + qs.att + " of " + q.att +
      ". You can change your answers until you submit." }));
    var form = h("div", { c: "test" });
    items.forEach(function (item, n) {
      var qid = "q" + qi + "-" + n;
      form.appendChild(h("fieldset", { c: "q", id: qid }, [legend(item, n, items.length),
        controls(qi, item, qid, qs.sub, showWhy), qs.sub ? feedback(qi, item, showWhy, true) : null]));
    });
    main.appendChild(form);
    if (qs.sub) return;
    var confirmBox = h("div", { id: "confirm", c: "confirm", hidden: true });
    main.appendChild(h("p", { c: "actions" }, [h("button", { c: "go", id: "submit-test", onclick: function () {
      var missing = items.filter(function (it) { return !answered(it, qs.r[it.id]); }).map(function (it) { return items.indexOf(it); });
      confirmBox.textContent = "";
      confirmBox.hidden = false;
      confirmBox.appendChild(h("h2", { id: "confirm-h", tabindex: "-1", text: missing.length ? "Some questions are not answered" : "Submit your answers?" }));
      confirmBox.appendChild(h("p", { text: missing.length
        ? "Not answered: question" + (missing.length > 1 ? "s " : " ") + missing.map(function (m) { return m + 1; }).join(", ") +
          ". An unanswered question earns no points."
        : "You have answered all " + items.length + " questions. After you submit you cannot change them. This is attempt " + qs.att + " of " + q.att + "." }));
      confirmBox.appendChild(h("p", { c: "actions" }, [
        missing.length ? h("button", { c: "secondary", onclick: function () {
          confirmBox.hidden = true;
          problem($("q" + qi + "-" + missing[0]), "Please answer this question.");
        } }, ["Go to question " + (missing[0] + 1)]) : h("button", { c: "secondary", onclick: function () {
          confirmBox.hidden = true; $("submit-test").focus();
        } }, ["Keep working"]),
        h("button", { c: "go", id: "confirm-submit", onclick: function () {
          items.forEach(function (it) { fixOrder(qs, it); });
          qs.sub = true;
          items.forEach(function (it) { record(qi, it); });
          report();
          render(false);
          var box = $("quiz-result");
          box.focus();
          announce(box.querySelector("h2").textContent);
        } }, [missing.length ? "Submit anyway" : "Submit my answers"])]));
      $("confirm-h").focus();
    } }, ["Submit the test"])]));
    main.appendChild(confirmBox);
  }
  // What to review: the objectives of the questions not fully right, grouped under their lessons
  // (in course order), each lesson linked.
  function reviewList(qi, items) {
    var byLesson = {}, order = [];
    items.forEach(function (it) {
      var o = D.objs[it.obj];
      if (!o || CK.credit(it, salt(it), st.quizzes[qi].r[it.id]) === 1) return;
      if (!byLesson[o[1]]) { byLesson[o[1]] = []; order.push(o[1]); }
      if (byLesson[o[1]].indexOf(o[0]) < 0) byLesson[o[1]].push(o[0]);
    });
    if (!order.length) return [];
    order.sort(function (a, b) { return screenOf(a) - screenOf(b); });
    return [h("h3", { text: "What to review" }), h("ul", { c: "review-list" }, order.map(function (sid) {
      var at = screenOf(sid), s = D.screens[at];
      return h("li", {}, [link(at, "Lesson " + s.n + ": " + s.title), h("ul", {}, byLesson[sid].map(function (t) { return h("li", { text: t }); }))]);
    }))];
  }
  function nextSteps(left) {
    return left > 0 ? null : h("p", { c: "next-steps", text: "You have used every attempt. What happens next: please contact your trainer or " +
      "course administrator. They can go through the results with you and tell you whether and how you can take the test again." });
  }
  function testResult(qi, items, pct, passed, mark, left) {
    var q = D.quizzes[qi], qs = st.quizzes[qi];
    return h("section", { id: "quiz-result", c: "result " + (passed ? "pass" : "fail"), tabindex: "-1", "aria-labelledby": "result-h" }, [
      h("h2", { id: "result-h", text: "Your score: " + wholePct(pct) }),
      h("p", { text: (passed ? "You passed. The pass mark is " : "You did not reach the pass mark of ") + mark + "%." +
        (!passed && left > 0 ? " You can try again (" + plural(left, "attempt", "attempts") + " left)." : "") })]
      .concat(reviewList(qi, items)).concat([nextSteps(passed ? 1 : left),
        !passed && left > 0 ? h("button", { c: "secondary", onclick: function () {
          qs.att += 1;
          qs.sub = false;
          qs.r = {};
          qs.chk = qs.chk.map(function () { return false; });
          render(true);
          report();
        } }, ["Try again"]) : null,
        q.role === "final" ? h("p", {}, [link(ids.length - 1, "See all your course requirements")]) : null]));
  }

  // ---- evaluation
  function renderEval(main) {
    var ev = D.eval;
    if (ev.intro) main.appendChild(h("p", { text: ev.intro }));
    if (st.evalDone) { main.appendChild(h("p", { id: "eval-done", c: "result pass", tabindex: "-1", text: "Thank you. Your evaluation has been submitted." })); return; }
    main.appendChild(h("p", { text: "Your answers are anonymous to other learners and help us improve the course. Answer at least one question; the others are optional." }));
    var form = h("form", { novalidate: true, onsubmit: function (e) { e.preventDefault(); } });
    ev.qs.forEach(function (q, n) {
      var id = "ev-" + n;
      if (q.k === "comment") {
        form.appendChild(h("div", { c: "q", id: id + "-q" }, [h("label", { "for": id, c: "label", text: q.stem }),
          h("textarea", { id: id, name: q.id, rows: q.lines, maxlength: 4000 })]));
        return;
      }
      form.appendChild(h("fieldset", { c: "q", id: id + "-q" }, [h("legend", { text: q.stem }), h("div", { c: "options" + (q.k === "likert" ? " scale" : "") },
        q.c.map(function (c, m) {
          return h("div", { c: "option" }, [h("input", { type: "radio", name: q.id, id: id + "-" + m, value: String(m + 1) }),
            h("label", { "for": id + "-" + m, text: c })]);
        }))]));
    });
    form.appendChild(h("button", { c: "go", onclick: function () {
      var given = ev.qs.filter(function (q) { var f = form.elements[q.id]; return f && f.value && f.value.trim(); });
      // A blank evaluation is not an evaluation: it does not count as submitted.
      if (!given.length) return problem($("ev-0-q"), "Please answer at least one question before you submit.");
      given.forEach(function (q) {
        var value = form.elements[q.id].value;
        lms.interaction(nextInteraction++, { id: ev.id + "." + q.id, type: q.k === "comment" ? "long-fill-in" : q.k === "likert" ? "likert" : "choice",
          parts: [q.k === "choice" ? "c" + value : value], result: null, weight: null, desc: q.stem, when: new Date() });
      });
      st.evalDone = true;
      report();
      render(false);
      $("eval-done").focus();
      announce("Thank you. Your evaluation has been submitted.");
    } }, ["Submit evaluation"]));
    main.appendChild(form);
  }

  // ---- results: the score first, then every requirement with its status
  function requirement(done, text, to) {
    return h("li", { c: done ? "met" : "open" }, [h("span", { c: "icon", "aria-hidden": "true", text: done ? "✓" : "○" }),
      h("span", { c: "visually-hidden", text: done ? "Done: " : "Still to do: " }),
      to === undefined ? text : link(to, text)]);
  }
  function renderResults(main) {
    var s = status(), lessons = lessonIds(), open = lessonsLeft(), reqs = [], head, cls = "pass";
    var fi = D.quizzes.map(function (q) { return q.role; }).indexOf("final");
    var test = D.assess === "final" ? fi : -1;
    if (!D.assess) head = s.completion === "completed" ? "You have completed the course. Well done." : "Work through every lesson to complete the course.";
    else if (s.pct === null) { head = "Your result appears here once you have taken the " + (D.assess === "final" ? "final test." : "quizzes."); cls = ""; }
    else if (s.success === "passed") head = "You passed with " + wholePct(s.pct) + ".";
    else { head = "You did not pass this time. Your score is " + wholePct(s.pct) + "; the pass mark is " + passMark + "%."; cls = "fail"; }
    main.appendChild(h("section", { c: "result " + cls, id: "course-result", "aria-labelledby": "course-h" }, [
      h("h2", { id: "course-h", text: head })]));
    reqs.push(requirement(!open.length, "Lessons: " + (lessons.length - open.length) + " of " + lessons.length + " completed",
      open.length ? lessonResume(open[0]) : undefined));
    if (test >= 0) {
      var tq = D.quizzes[test], tqs = st.quizzes[test], tleft = tq.att - tqs.att, tat = screenOf("q-" + tq.id);
      var tp = tqs.sub ? quizPct([test]) : null;
      reqs.push(requirement(tp !== null && tp >= passMark, tq.title + ": " + (locked(D.screens[tat]) ? "opens when every lesson is completed"
        : tp === null ? "not taken yet" : tp >= passMark ? "passed (" + wholePct(tp) + ")"
        : "not passed (" + wholePct(tp) + ")" + (tleft > 0 ? ", " + plural(tleft, "attempt", "attempts") + " left" : ", no attempts left")), tat));
    } else if (D.assess === "lessons") {
      reqs.push(requirement(s.pct !== null, "Quizzes: " + (s.pct === null ? "not all submitted yet" : "submitted")));
    }
    if (D.eval) reqs.push(requirement(st.evalDone, D.eval.title + ": " + (st.evalDone ? "submitted" : "not submitted yet"), screenOf("evaluation")));
    main.appendChild(h("h2", { text: "What the course asks of you" }));
    main.appendChild(h("ul", { c: "reqs" }, reqs));
    if (test >= 0 && st.quizzes[test].sub) main.appendChild(h("div", {}, reviewList(test, shownItems(test))));
    if (test >= 0 && s.success === "failed") main.appendChild(nextSteps(D.quizzes[test].att - st.quizzes[test].att) || h("p", {}));
    if (D.eval) main.appendChild(h("p", { text: s.completion === "completed" && s.success === "passed"
      ? "You have met every requirement. Your course provider issues your certificate; they will tell you how you receive it."
      : "Your certificate is issued by your course provider once you have passed the final test and submitted the evaluation." }));
    if (Object.keys(notes()).length) {
      main.appendChild(h("h2", { text: "Your notes" }));
      main.appendChild(h("p", { text: "What you wrote in the reflections is kept only in this browser." }));
      main.appendChild(notesTools());
    }
    main.appendChild(h("h2", { text: "Leaving the course" }));
    main.appendChild(h("p", { text: modeNote() + (lms.kind === "standalone" ? " You can close this page and come back later in the same browser." : "") }));
    if (lms.kind !== "standalone") {
      main.appendChild(h("button", { id: "exit", onclick: function () { report(); finish(); render(true); announce("Your progress has been saved."); } },
        ["Save and exit"]));
    }
  }

  // ---- standalone: say so, and offer a fresh start
  function renderBanner() {
    if (lms.kind !== "standalone") return;
    $("banner").appendChild(h("p", {}, [h("strong", { text: "Not connected to a learning system: " }),
      "your progress is kept in this browser only. ", h("button", { c: "secondary small", onclick: function () {
        if (!window.confirm("Start over? This clears your answers and progress in this browser. Your notes stay.")) return;
        try { window.localStorage.removeItem(storeKey); } catch (e) { /* nothing stored */ }
        st = CK.emptyState(D); practiceAt = {}; reported = {};
        lms = new Local(storeKey); lms.start();
        go(0, true);
        announce("Your progress has been cleared.");
      } }, ["Start over"])]));
    $("banner").hidden = false;
  }

  window.CoursePlayer = {
    mode: lms.kind, errors: lms.errors,
    state: function () { return CK.encodeState(D, st); }
  };
  if (window.matchMedia && window.matchMedia("(min-width: 900px)").matches) $("toc").open = true;
  $("gloss-open").addEventListener("click", function (e) { openGlossary(null, e.currentTarget); });
  renderBanner();
  st.visited[cur] = true;
  render(false);
  report();
})();
