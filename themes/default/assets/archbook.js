// archbook default theme: dark-mode toggle, the sidebar drawer on small
// screens, and offline search. No network requests: the search index is a
// script file loaded on first use, so it also works from file://.
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "";
  var html = document.documentElement;

  // Dark mode: the choice is remembered for every page of the handbook.
  var toggle = document.querySelector(".theme-toggle");
  function showTheme() {
    var dark = html.getAttribute("data-theme") === "dark";
    if (toggle) {
      toggle.setAttribute("aria-pressed", dark ? "true" : "false");
      toggle.setAttribute("aria-label", dark ? "Switch to light mode" : "Switch to dark mode");
    }
  }
  if (toggle) {
    toggle.addEventListener("click", function () {
      var next = html.getAttribute("data-theme") === "dark" ? "light" : "dark";
      html.setAttribute("data-theme", next);
      try { localStorage.setItem("archbook-theme", next); } catch (e) {}
      showTheme();
    });
  }
  showTheme();

  // A long table of contents comes once, in toc.js, rather than in every
  // page: a page holds its own branch of it (enough to go anywhere without
  // scripts), which the whole tree replaces, its links made relative to the
  // page and the page's own marked.
  var sidebar = document.getElementById("sidebar");
  if (sidebar && typeof window.archbookToc === "string") {
    var root = document.body.getAttribute("data-root") || "";
    var holder = document.createElement("div");
    holder.innerHTML = window.archbookToc;
    var whole = holder.querySelector("nav") || holder;
    var here = location.href.split(/[?#]/)[0];
    var marked = false;
    var links = whole.querySelectorAll("a[href]");
    for (var l = 0; l < links.length; l++) {
      var href = links[l].getAttribute("href");
      if (!/^([a-z][a-z0-9+.-]*:|\/|#)/i.test(href)) links[l].setAttribute("href", root + href);
      var target = links[l].href.split("#")[0];
      if (!marked && (target === here || target === here + "index.html")) {
        links[l].setAttribute("aria-current", "page");
        marked = true;
      }
    }
    sidebar.innerHTML = whole.innerHTML;
  }

  // The table of contents as a drawer on narrow screens.
  var menu = document.querySelector(".menu-toggle");
  function setMenu(open) {
    document.body.classList.toggle("sidebar-open", open);
    if (menu) {
      menu.setAttribute("aria-expanded", open ? "true" : "false");
      menu.setAttribute("aria-label", open ? "Hide the table of contents" : "Show the table of contents");
    }
    if (open && sidebar) {
      var current = sidebar.querySelector("[aria-current=page]") || sidebar.querySelector("a");
      if (current) current.focus();
    }
  }
  if (menu) {
    menu.addEventListener("click", function () {
      setMenu(!document.body.classList.contains("sidebar-open"));
    });
  }
  var current = sidebar && sidebar.querySelector("[aria-current=page]");
  // Keep the current page visible in a long sidebar without moving the page.
  if (current && sidebar.scrollHeight > sidebar.clientHeight) {
    sidebar.scrollTop = Math.max(0, current.offsetTop - sidebar.clientHeight / 2);
  }

  // Search.
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var index = null;
  var loading = false;
  var selected = -1;

  // Must split and stem like search.rs: English handbooks with the Porter2
  // stemmer the index script brings (window.archbookStem), others by
  // taking off a plural "s".
  function stem(w) {
    if (index && index.stem === "porter2" && window.archbookStem) return window.archbookStem(w);
    return w.length > 3 && /s$/.test(w) && !/(ss|us|is)$/.test(w) ? w.slice(0, -1) : w;
  }
  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (t) { return t.length > 1; });
  }

  // See search.rs for the format: front-coded words, base-36 gaps.
  function decode(data) {
    var terms = new Map();
    var prev = "";
    data.terms.split(";").forEach(function (entry) {
      var colon = entry.indexOf(":");
      if (colon < 1) return;
      var word = prev.slice(0, parseInt(entry[0], 36)) + entry.slice(1, colon);
      prev = word;
      var ids = [];
      var last = 0;
      entry.slice(colon + 1).split(",").forEach(function (d) {
        last += parseInt(d, 36);
        ids.push(last);
      });
      terms.set(word, ids);
    });
    // Anchors written as "-" are the heading's slug, made as archbook makes
    // it; "-P" is "P-" and that slug.
    function slug(text) {
      return text.trim().toLowerCase().replace(/\s/g, "-").replace(/[^\p{L}\p{N}_-]/gu, "");
    }
    var url = "";
    var pages = data.pages.map(function (p) {
      url = url.slice(0, p[0]) + p[1];
      return [url, p[2]];
    });
    var docs = data.docs.map(function (d) {
      var page = pages[d[0]];
      var anchor = d[1] === "-" ? slug(d[2]) : d[1][0] === "-" ? d[1].slice(1) + "-" + slug(d[2]) : d[1];
      return [page[0] + ".html" + (anchor ? "#" + anchor : ""), d[2] || page[1], d[2] ? page[1] : ""];
    });
    return { docs: docs, terms: terms, keys: Array.from(terms.keys()).sort(), stem: data.stem || "plural", text: data.text || [] };
  }

  // Loads the index once; whatever was typed meanwhile is searched as soon
  // as it arrives.
  function load(then) {
    if (index) return then();
    if (loading) return;
    loading = true;
    var s = document.createElement("script");
    s.src = root + "search-index.js";
    s.onload = function () {
      var data = window.archbookSearchIndex;
      var ready = function () { index = decode(data); show(); };
      if (data.stem !== "porter2") return ready();
      // The stemmer the index was built with, for the query's words.
      var st = document.createElement("script");
      st.src = root + "search-stem.js";
      st.onload = ready;
      st.onerror = function () { status.textContent = "The search index could not be loaded."; };
      document.head.appendChild(st);
    };
    s.onerror = function () { status.textContent = "The search index could not be loaded."; };
    document.head.appendChild(s);
  }

  // Documents holding every query word, by its stem (the last one may also
  // be the start of a word still being typed).
  function search(query) {
    var typed = words(query);
    if (!typed.length) return [];
    var result = null;
    typed.forEach(function (raw, i) {
      var found = new Set();
      var w = stem(raw);
      (index.terms.get(w) || []).forEach(function (d) { found.add(d); });
      if (i === typed.length - 1) {
        [raw, w].forEach(function (start) {
          var lo = 0, hi = index.keys.length;
          while (lo < hi) { var mid = (lo + hi) >> 1; if (index.keys[mid] < start) lo = mid + 1; else hi = mid; }
          for (var k = lo; k < index.keys.length && index.keys[k].lastIndexOf(start, 0) === 0; k++) {
            index.terms.get(index.keys[k]).forEach(function (d) { found.add(d); });
          }
        });
      }
      result = result === null ? found : new Set(Array.from(result).filter(function (d) { return found.has(d); }));
    });
    var scored = Array.from(result).map(function (d) {
      var doc = index.docs[d];
      var title = words(doc[1] + " " + doc[2]).map(stem);
      var score = 0;
      typed.forEach(function (raw, i) {
        var last = i === typed.length - 1;
        if (title.indexOf(stem(raw)) >= 0 || (last && title.some(function (t) { return t.lastIndexOf(raw, 0) === 0; }))) score += 2;
      });
      if (doc[0].indexOf("#") < 0) score += 1;
      return { d: d, score: score };
    });
    scored.sort(function (a, b) { return b.score - a.score || a.d - b.d; });
    return scored.slice(0, 30).map(function (x) { return { doc: index.docs[x.d], d: x.d }; });
  }

  // Snippets: each document's excerpt sits in one of the search-text-N.js
  // files (index.text: the first document of each after the first), loaded
  // only for the results shown.
  var excerpts = {};
  var waiting = {};
  window.archbookSearchText = function (n, texts) {
    excerpts[n] = texts;
    (waiting[n] || []).forEach(function (f) { f(texts); });
    delete waiting[n];
  };
  function excerptOf(d, then) {
    var n = 0;
    while (n < index.text.length && index.text[n] <= d) n++;
    var first = n ? index.text[n - 1] : 0;
    var take = function (texts) { then(texts[d - first] || ""); };
    if (excerpts[n]) return take(excerpts[n]);
    if (waiting[n]) return waiting[n].push(take);
    waiting[n] = [take];
    var s = document.createElement("script");
    s.src = root + "search-text-" + n + ".js";
    s.onerror = function () { delete waiting[n]; };
    document.head.appendChild(s);
  }
  // The part of `text` around the first query word it holds (by stem, as
  // the search matched it), every query word in it marked.
  function snippet(text, typed) {
    var stems = typed.map(stem);
    var last = typed[typed.length - 1];
    var re = /[\p{L}\p{N}]+/gu, m, hits = [];
    while ((m = re.exec(text))) {
      var w = m[0].toLowerCase();
      if (stems.indexOf(stem(w)) >= 0 || (last.length > 1 && w.lastIndexOf(last, 0) === 0)) hits.push([m.index, m.index + m[0].length]);
    }
    var frag = document.createDocumentFragment();
    if (!text) return frag;
    var from = hits.length ? Math.max(0, hits[0][0] - 60) : 0;
    if (from > 0) { var sp = text.indexOf(" ", from); from = sp >= 0 && sp < hits[0][0] ? sp + 1 : from; }
    var to = Math.min(text.length, from + 180);
    if (to < text.length) { var cut = text.lastIndexOf(" ", to); if (cut > from + 100) to = cut; }
    var at = from;
    frag.appendChild(document.createTextNode(from > 0 ? "… " : ""));
    hits.forEach(function (h) {
      if (h[0] < at || h[1] > to) return;
      frag.appendChild(document.createTextNode(text.slice(at, h[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(h[0], h[1]);
      frag.appendChild(mark);
      at = h[1];
    });
    frag.appendChild(document.createTextNode(text.slice(at, to) + (to < text.length ? " …" : "")));
    return frag;
  }

  function select(i) {
    var links = list.querySelectorAll("a");
    if (!links.length) return;
    selected = (i + links.length) % links.length;
    links.forEach(function (a, k) { a.setAttribute("aria-selected", k === selected ? "true" : "false"); });
    links[selected].scrollIntoView({ block: "nearest" });
  }

  function show() {
    var q = input.value.trim();
    list.innerHTML = "";
    selected = -1;
    if (!q) { list.hidden = true; status.textContent = ""; return; }
    var hits = search(q);
    var typed = words(q);
    hits.forEach(function (hit, k) {
      var doc = hit.doc;
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + doc[0];
      a.textContent = doc[1];
      if (doc[2] && doc[2] !== doc[1]) {
        var where = document.createElement("span");
        where.className = "where";
        where.textContent = doc[2];
        a.appendChild(where);
      }
      if (k < 10) {
        var snip = document.createElement("span");
        snip.className = "snippet";
        a.appendChild(snip);
        excerptOf(hit.d, function (text) {
          // Only while these results are still the ones shown.
          if (input.value.trim() === q) snip.appendChild(snippet(text, typed));
        });
      }
      li.appendChild(a);
      list.appendChild(li);
    });
    if (!hits.length) {
      var li = document.createElement("li");
      li.className = "empty";
      li.textContent = "No results for “" + q + "”";
      list.appendChild(li);
    }
    list.hidden = false;
    status.textContent = hits.length ? hits.length + " results" : "No results";
  }

  if (input && list) {
    input.addEventListener("focus", function () { load(function () {}); });
    input.addEventListener("input", function () { load(show); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); select(selected + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); select(selected - 1); }
      else if (e.key === "Enter") {
        var links = list.querySelectorAll("a");
        var target = links[selected >= 0 ? selected : 0];
        if (target) { e.preventDefault(); window.location.href = target.href; }
      } else if (e.key === "Escape") { input.value = ""; show(); input.blur(); }
    });
    document.addEventListener("keydown", function (e) {
      var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
      if (e.key === "/" && !typing) { e.preventDefault(); input.focus(); }
      if (e.key === "Escape" && document.body.classList.contains("sidebar-open")) { setMenu(false); if (menu) menu.focus(); }
    });
    document.addEventListener("click", function (e) {
      if (!list.hidden && !list.contains(e.target) && e.target !== input) list.hidden = true;
    });
  }
  // The RACI matrix: filter by role, letter and area (kept in the address,
  // `raci.html?role=ID`), and the row and column under the pointer marked.
  // Without this script the whole table still works.
  var filters = document.querySelector("form.matrix-filters");
  var matrix = document.querySelector(".matrix-wrap table.raci-matrix");
  if (filters && matrix) {
    var boxes = filters.querySelectorAll("input[name=role]");
    var letterSel = filters.querySelector("select[name=letter]");
    var areaSel = filters.querySelector("select[name=area]");
    var filterStatus = filters.querySelector(".filter-status");
    var params = new URLSearchParams(window.location.search);
    var wanted = [];
    params.getAll("role").forEach(function (v) { wanted = wanted.concat(v.split(",")); });
    boxes.forEach(function (b) { b.checked = wanted.indexOf(b.value) >= 0; });
    if (letterSel) letterSel.value = (params.get("letter") || "").toUpperCase();
    if (areaSel && params.get("area")) areaSel.value = params.get("area");
    var apply = function (keep) {
      var roles = [];
      boxes.forEach(function (b) { if (b.checked) roles.push(b.value); });
      var letter = letterSel ? letterSel.value : "";
      var area = areaSel ? areaSel.value : "";
      var shownRole = function (r) { return !roles.length || roles.indexOf(r) >= 0; };
      matrix.querySelectorAll("thead th[data-role]").forEach(function (th) {
        th.hidden = !shownRole(th.getAttribute("data-role"));
      });
      var rows = 0;
      matrix.querySelectorAll("tbody").forEach(function (body) {
        var inArea = !area || body.getAttribute("data-area") === area;
        var any = 0;
        body.querySelectorAll("tr[data-activity]").forEach(function (tr) {
          var hit = !letter;
          tr.querySelectorAll("td[data-role]").forEach(function (td) {
            var show = shownRole(td.getAttribute("data-role"));
            var held = td.querySelector(".raci");
            var has = letter && held && held.textContent.indexOf(letter) >= 0;
            td.hidden = !show;
            td.classList.toggle("match", !!(show && has));
            if (show && has) hit = true;
          });
          tr.hidden = !inArea || !hit;
          if (!tr.hidden) { any += 1; rows += 1; }
        });
        var head = body.querySelector(".area-row th");
        if (head) head.colSpan = (roles.length || boxes.length) + 1;
        body.hidden = !any;
      });
      var cols = roles.length || boxes.length;
      filterStatus.textContent = rows + (rows === 1 ? " activity" : " activities") + " × " + cols + (cols === 1 ? " role" : " roles");
      if (!keep) {
        var q = new URLSearchParams();
        if (roles.length) q.set("role", roles.join(","));
        if (letter) q.set("letter", letter);
        if (area) q.set("area", area);
        var query = q.toString();
        try { history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash); } catch (e) {}
      }
    };
    filters.addEventListener("change", function () { apply(false); });
    filters.addEventListener("reset", function () { setTimeout(function () { apply(false); }, 0); });
    filters.hidden = false;
    apply(true);
    var lit = [];
    matrix.addEventListener("mouseover", function (e) {
      var cell = e.target.closest("td[data-role], thead th[data-role]");
      lit.forEach(function (c) { c.classList.remove("col-hover"); });
      lit = [];
      if (!cell) return;
      lit = Array.prototype.slice.call(matrix.querySelectorAll('[data-role="' + cell.getAttribute("data-role") + '"]'));
      lit.forEach(function (c) { c.classList.add("col-hover"); });
    });
    matrix.addEventListener("mouseleave", function () {
      lit.forEach(function (c) { c.classList.remove("col-hover"); });
      lit = [];
    });
  }
})();
