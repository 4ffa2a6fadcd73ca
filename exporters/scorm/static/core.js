/* Player core: hashing, seeded randomness, scoring and the suspend_data encoding.
   No DOM access, so node can run it. Mirrors course/scoring.py and exporters/scorm/{digest,data}.py. */
(function (root) {
  "use strict";
  var A = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

  function cyrb53(str, seed) {
    seed = seed || 0;
    var h1 = 0xdeadbeef ^ seed, h2 = 0x41c6ce57 ^ seed;
    for (var i = 0; i < str.length; i++) {
      var ch = str.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return 4294967296 * (2097151 & h2) + (h1 >>> 0);
  }

  function itemSalt(course, version, itemId) { return cyrb53(course + "|" + version + "|" + itemId).toString(36); }
  function digest(salt, fact) { return cyrb53(salt + "|" + fact).toString(36); }

  // Inverse of digest.mask(): base64 -> XOR with the cyrb53 keystream -> UTF-8 text.
  function unmask(key, masked) {
    var bin = atob(masked), bytes = new Uint8Array(bin.length), word = 0;
    for (var i = 0; i < bin.length; i++) {
      if (i % 4 === 0) word = cyrb53(key + "#" + (i / 4)) % 4294967296;
      bytes[i] = bin.charCodeAt(i) ^ (Math.floor(word / Math.pow(256, i % 4)) & 255);
    }
    return new TextDecoder().decode(bytes);
  }

  // ---- seeded randomness (course/scoring.py: FNV-1a 32 feeding mulberry32)
  function seedHash(text) {
    var b = new TextEncoder().encode(text), h = 0x811c9dc5;
    for (var i = 0; i < b.length; i++) { h ^= b[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }
  function mulberry32(a) {
    return function () {
      a = (a + 0x6d2b79f5) >>> 0;
      var t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1) >>> 0;
      t = (t ^ ((t + (Math.imul(t ^ (t >>> 7), t | 61) >>> 0)) >>> 0)) >>> 0;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function shuffled(values, seed) {
    var out = values.slice(), rand = mulberry32(seedHash(seed));
    for (var i = out.length - 1; i > 0; i--) {
      var j = Math.floor(rand() * (i + 1)), tmp = out[i];
      out[i] = out[j]; out[j] = tmp;
    }
    return out;
  }
  function draw(ids, n, seed) {
    if (n === null || n === undefined || n >= ids.length) return ids.slice();
    var picked = shuffled(ids, seed + ":draw").slice(0, n);
    return ids.filter(function (id) { return picked.indexOf(id) >= 0; });
  }

  // course/forms.py stratified_draw: perObjective items of each objective (first-appearance order), then
  // the rest of total at random; pool = [[id, objective], ...] in bank order; result in pool order.
  function stratifiedDraw(pool, perObjective, total, seed) {
    var objectives = [], chosen = {}, count = 0, i;
    pool.forEach(function (p) { if (objectives.indexOf(p[1]) < 0) objectives.push(p[1]); });
    objectives.forEach(function (obj) {
      var ids = pool.filter(function (p) { return p[1] === obj; }).map(function (p) { return p[0]; });
      shuffled(ids, seed + ":form:" + obj).slice(0, perObjective).forEach(function (id) { chosen["$" + id] = 1; count++; });
    });
    var rest = pool.filter(function (p) { return !chosen["$" + p[0]]; }).map(function (p) { return p[0]; });
    var k = Math.max(0, (total === null || total === undefined ? pool.length : total) - count);
    var extra = shuffled(rest, seed + ":form:rest").slice(0, k);
    for (i = 0; i < extra.length; i++) chosen["$" + extra[i]] = 1;
    return pool.filter(function (p) { return chosen["$" + p[0]]; }).map(function (p) { return p[0]; });
  }

  // Python's round(): half-to-even on exact ties, otherwise the correctly rounded decimal.
  function roundTo(x, d) {
    var p = Math.pow(10, d), n = x * p, f = Math.floor(n);
    if (n - f === 0.5) return (f % 2 === 0 ? f : f + 1) / p;
    return Number(x.toFixed(d));
  }

  // ---- scoring (course/scoring.py), against digests instead of keys
  function isObj(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function find(list, id) {
    for (var i = 0; i < list.length; i++) if (list[i].id === id) return list[i];
    return null;
  }
  function isKey(item, salt, opt) { return digest(salt, "o:" + opt.id + "=1") === opt.d; }
  function matchRight(item, salt, prompt, answerId) {
    return typeof answerId === "string" && digest(salt, "m:" + prompt.id + "=" + answerId) === prompt.d;
  }
  function stepRight(item, salt, stepId, pos) {
    var s = typeof stepId === "string" ? find(item.s, stepId) : null;
    return !!s && digest(salt, "s:" + s.id + "@" + pos) === s.d;
  }

  function credit(item, salt, r) {
    if (r === null || r === undefined) return 0;
    var i;
    if (item.k === "sc" || item.k === "tf") {
      var o = typeof r === "string" ? find(item.o, r) : null;
      return o && isKey(item, salt, o) ? 1 : 0;
    }
    if (item.k === "mr") {
      if (!Array.isArray(r) || !r.length) return 0;
      var keys = item.o.filter(function (x) { return isKey(item, salt, x); }).length, hits = 0, wrong = 0, seen = {};
      for (i = 0; i < r.length; i++) {
        if (typeof r[i] !== "string" || seen["$" + r[i]]) continue;
        seen["$" + r[i]] = 1;
        var opt = find(item.o, r[i]);
        if (opt) { if (isKey(item, salt, opt)) hits++; else wrong++; }
      }
      return Math.max(0, (hits - wrong) / keys);
    }
    if (item.k === "ma") {
      if (!isObj(r)) return 0;
      var right = item.p.filter(function (p) {
        return Object.prototype.hasOwnProperty.call(r, p.id) && matchRight(item, salt, p, r[p.id]);
      }).length;
      return right / item.p.length;
    }
    if (item.k === "or") {
      if (!Array.isArray(r) || r.length !== item.s.length) return 0;
      var a = r.map(String).sort(), b = item.s.map(function (s) { return s.id; }).sort();
      for (i = 0; i < a.length; i++) if (a[i] !== b[i]) return 0;
      var ok = 0;
      for (i = 0; i < r.length; i++) if (stepRight(item, salt, r[i], i)) ok++;
      return ok / r.length;
    }
    throw new Error("unknown item kind " + item.k);
  }
  function points(item, salt, r) { return roundTo(item.pts * credit(item, salt, r), 4); }
  function percentage(items, salts, responses) {
    var possible = roundTo(items.reduce(function (s, it) { return s + it.pts; }, 0), 4);
    if (possible === 0) return 0;
    var earned = 0;
    items.forEach(function (it, n) { earned += points(it, salts[n], responses[it.id]); });
    return roundTo(100 * earned / possible, 2);
  }

  // ---- suspend_data: fixed-width positional encoding (exporters/scorm/data.py suspend_length)
  function slot(item, r) {
    var out = "", i;
    if (item.k === "sc" || item.k === "tf") {
      var idx = r == null ? -1 : item.o.map(function (o) { return o.id; }).indexOf(r);
      return A[idx + 1];
    }
    if (item.k === "mr") {
      var bits = 0;
      item.o.forEach(function (o, n) { if (Array.isArray(r) && r.indexOf(o.id) >= 0) bits += Math.pow(2, n); });
      for (i = 0; i < Math.ceil(item.o.length / 6); i++) out += A[Math.floor(bits / Math.pow(64, i)) % 64];
      return out;
    }
    if (item.k === "ma") {
      return item.p.map(function (p) {
        var a = isObj(r) ? item.a.map(function (x) { return x.id; }).indexOf(r[p.id]) : -1;
        return A[a + 1];
      }).join("");
    }
    var ids = item.s.map(function (s) { return s.id; });
    return ids.map(function (_, n) { return A[Array.isArray(r) ? ids.indexOf(r[n]) + 1 : 0]; }).join("");
  }
  function unslot(item, text) {
    var v = text.split("").map(function (c) { return A.indexOf(c); }), i;
    if (item.k === "sc" || item.k === "tf") return v[0] > 0 && item.o[v[0] - 1] ? item.o[v[0] - 1].id : null;
    if (item.k === "mr") {
      var bits = 0, out = [];
      for (i = 0; i < v.length; i++) bits += v[i] * Math.pow(64, i);
      item.o.forEach(function (o, n) { if (Math.floor(bits / Math.pow(2, n)) % 2) out.push(o.id); });
      return out.length ? out : null;
    }
    if (item.k === "ma") {
      var m = {}, any = false;
      item.p.forEach(function (p, n) { if (v[n] > 0 && item.a[v[n] - 1]) { m[p.id] = item.a[v[n] - 1].id; any = true; } });
      return any ? m : null;
    }
    if (v.every(function (x) { return x === 0; })) return null;
    return v.map(function (x) { return item.s[x - 1] ? item.s[x - 1].id : ""; });
  }
  function width(item) {
    if (item.k === "sc" || item.k === "tf") return 1;
    if (item.k === "mr") return Math.ceil(item.o.length / 6);
    return (item.k === "ma" ? item.p : item.s).length;
  }
  function emptyState(data) {
    return {
      visited: data.screens.map(function () { return false; }),
      quizzes: data.quizzes.map(function (q) { return { att: 1, sub: false, chk: q.items.map(function () { return false; }), r: {} }; }),
      evalDone: false
    };
  }
  // Flags six to a character (visited screens, checked practice questions).
  function bitsOut(flags) {
    var out = "";
    for (var i = 0; i < flags.length; i += 6) {
      var bits = 0;
      for (var j = 0; j < 6 && i + j < flags.length; j++) if (flags[i + j]) bits |= 1 << j;
      out += A[bits];
    }
    return out;
  }
  function bitsIn(flags, text, pos) {
    for (var i = 0; i < flags.length; i += 6) {
      var bits = A.indexOf(text[pos++]);
      for (var j = 0; j < 6 && i + j < flags.length; j++) flags[i + j] = !!(bits & (1 << j));
    }
    return pos;
  }
  function encodeState(data, st) {
    var out = "1" + data.sig + bitsOut(st.visited);
    data.quizzes.forEach(function (q, n) {
      var qs = st.quizzes[n];
      out += A[qs.att] + (qs.sub ? "1" : "0") + bitsOut(qs.chk);
      q.items.forEach(function (it) { out += slot(it, qs.r[it.id]); });
    });
    return out + (st.evalDone ? "1" : "0");
  }
  function decodeState(data, text) {
    if (typeof text !== "string" || text.slice(0, 7) !== "1" + data.sig) return null;
    var st = emptyState(data), pos = bitsIn(st.visited, text, 7);
    data.quizzes.forEach(function (q, n) {
      var qs = st.quizzes[n];
      qs.att = Math.max(1, Math.min(q.att, A.indexOf(text[pos++])));
      qs.sub = text[pos++] === "1";
      pos = bitsIn(qs.chk, text, pos);
      q.items.forEach(function (it) {
        var w = width(it), r = unslot(it, text.slice(pos, pos + w));
        pos += w;
        if (r !== null) qs.r[it.id] = r;
      });
    });
    st.evalDone = text[pos] === "1";
    return pos + 1 === text.length ? st : null;
  }

  var CK = {
    cyrb53: cyrb53, itemSalt: itemSalt, digest: digest, unmask: unmask, seedHash: seedHash,
    shuffled: shuffled, draw: draw, stratifiedDraw: stratifiedDraw, roundTo: roundTo, credit: credit, points: points,
    percentage: percentage, isKey: isKey, matchRight: matchRight, stepRight: stepRight,
    emptyState: emptyState, encodeState: encodeState, decodeState: decodeState
  };
  if (typeof module !== "undefined" && module.exports) module.exports = CK;
  else root.CK = CK;
})(this);
