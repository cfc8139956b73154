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

  // The table of contents as a drawer on narrow screens.
  var menu = document.querySelector(".menu-toggle");
  var sidebar = document.getElementById("sidebar");
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

  // Must split and stem like search.rs.
  function stem(w) {
    return w.length > 3 && /s$/.test(w) && !/(ss|us|is)$/.test(w) ? w.slice(0, -1) : w;
  }
  function tokens(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (t) { return t.length > 1; }).map(stem);
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
    // Anchors written as "-" are the heading's slug, made as archbook makes it.
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
      var anchor = d[1] === "-" ? slug(d[2]) : d[1];
      return [page[0] + ".html" + (anchor ? "#" + anchor : ""), d[2] || page[1], d[2] ? page[1] : ""];
    });
    return { docs: docs, terms: terms, keys: Array.from(terms.keys()).sort() };
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
      index = decode(window.archbookSearchIndex);
      show();
    };
    s.onerror = function () { status.textContent = "The search index could not be loaded."; };
    document.head.appendChild(s);
  }

  // Documents holding every query word (the last one may be a prefix).
  function search(query) {
    var words = tokens(query);
    if (!words.length) return [];
    var result = null;
    words.forEach(function (w, i) {
      var found = new Set();
      if (i === words.length - 1) {
        var lo = 0, hi = index.keys.length;
        while (lo < hi) { var mid = (lo + hi) >> 1; if (index.keys[mid] < w) lo = mid + 1; else hi = mid; }
        for (var k = lo; k < index.keys.length && index.keys[k].lastIndexOf(w, 0) === 0; k++) {
          index.terms.get(index.keys[k]).forEach(function (d) { found.add(d); });
        }
      } else {
        (index.terms.get(w) || []).forEach(function (d) { found.add(d); });
      }
      result = result === null ? found : new Set(Array.from(result).filter(function (d) { return found.has(d); }));
    });
    var scored = Array.from(result).map(function (d) {
      var doc = index.docs[d];
      var title = (doc[1] + " " + doc[2]).toLowerCase();
      var score = 0;
      words.forEach(function (w) { if (title.indexOf(w) >= 0) score += 2; });
      if (doc[0].indexOf("#") < 0) score += 1;
      return { d: d, score: score };
    });
    scored.sort(function (a, b) { return b.score - a.score || a.d - b.d; });
    return scored.slice(0, 30).map(function (x) { return index.docs[x.d]; });
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
    hits.forEach(function (doc) {
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
})();
