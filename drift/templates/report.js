/* drift report: filters, finding navigation (j / k, which a checkbox turns off), the evidence
   panel, scroll offsets under the sticky bars, sideways-scroll hints. Reads the DOM only; never
   writes HTML (textContent, attributes and classes only). Without JS the page shows everything,
   every evidence card included. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  var items = Array.prototype.slice.call(document.querySelectorAll("#finding-list > li.finding"));
  var cards = Array.prototype.slice.call(document.querySelectorAll(".ev-card"));
  var panel = document.getElementById("evidence");
  var empty = document.getElementById("panel-empty");
  var status = document.getElementById("filter-status");
  var nav = document.querySelector("nav.sections");
  var bar = document.querySelector(".filters");
  var shortcuts = document.getElementById("shortcuts");
  var marks = {};
  Array.prototype.forEach.call(document.querySelectorAll("mark[data-key]"), function (m) {
    (marks[m.dataset.key] = marks[m.dataset.key] || []).push(m);
  });
  var filters = { severity: { high: true, medium: true, low: true }, type: "", article: "" };
  var current = null;
  var STORE = "drift-report-shortcuts";

  // One card at a time with JS (all of them show without it).
  cards.forEach(function (card) { card.hidden = true; });

  // --- j / k shortcuts: on unless turned off; the choice is kept for the next visit ---------
  function keysOn() { return !shortcuts || shortcuts.checked; }

  function applyShortcuts() {
    var on = keysOn();
    root.classList.toggle("keys-off", !on);
    Array.prototype.forEach.call(document.querySelectorAll("button[data-step]"), function (b) {
      if (on) { b.setAttribute("aria-keyshortcuts", b.dataset.step === "1" ? "j" : "k"); }
      else { b.removeAttribute("aria-keyshortcuts"); }
    });
  }

  if (shortcuts) {
    try {
      if (window.localStorage.getItem(STORE) === "off") { shortcuts.checked = false; }
    } catch (e) { /* storage unavailable (private mode, file:// policy): keep the default */ }
    shortcuts.addEventListener("change", function () {
      try { window.localStorage.setItem(STORE, shortcuts.checked ? "on" : "off"); } catch (e) { /* ignore */ }
      applyShortcuts();
    });
  }

  // --- what the sticky bars cover: anchors and scrolled-to targets land below them ----------
  function stuckHeight(el) {
    if (!el || el.hidden) { return 0; }
    var style = window.getComputedStyle(el);
    if (style.position !== "sticky" && style.position !== "fixed") { return 0; }
    return el.getBoundingClientRect().height;
  }

  function updateOffsets() {
    root.style.setProperty("--sticky-top", Math.ceil(stuckHeight(nav) + 12) + "px");
    // a finding in the list sits under the filter bar too (it sticks inside its section)
    root.style.setProperty("--sticky-bar", Math.ceil(stuckHeight(bar) + 8) + "px");
  }

  // --- sideways scrolling: a hint and a shaded edge while there is more to see ---------------
  var scrollers = Array.prototype.slice.call(document.querySelectorAll(".scroll-box"));

  function updateScroller(box) {
    var inner = box.querySelector(".scroller");
    if (!inner) { return; }
    var more = inner.scrollWidth - inner.clientWidth;
    box.classList.toggle("overflows", more > 2);
    box.classList.toggle("more-left", inner.scrollLeft > 2);
    box.classList.toggle("more-right", more - inner.scrollLeft > 2);
  }

  scrollers.forEach(function (box) {
    var inner = box.querySelector(".scroller");
    if (inner) { inner.addEventListener("scroll", function () { updateScroller(box); }, { passive: true }); }
  });

  function layout() {
    updateOffsets();
    scrollers.forEach(updateScroller);
  }

  // --- filters -------------------------------------------------------------------------------
  function visible() {
    return items.filter(function (li) { return !li.hidden; });
  }

  function applyFilters() {
    var shown = 0;
    items.forEach(function (li) {
      var ok = filters.severity[li.dataset.severity] !== false &&
        (!filters.type || li.dataset.type === filters.type) &&
        (!filters.article || li.dataset.article === filters.article);
      li.hidden = !ok;
      if (ok) { shown += 1; }
      (marks[li.dataset.key] || []).forEach(function (m) { m.classList.toggle("filtered", !ok); });
    });
    if (status) {
      status.textContent = shown === items.length
        ? "Showing all " + items.length + " findings"
        : "Showing " + shown + " of " + items.length + " findings";
    }
  }

  // --- selecting a finding: its marks, its evidence card, the panel -------------------------
  function select(key, focus) {
    var li = document.getElementById(key);
    if (!li) { return; }
    var previous = current;
    current = key;
    if (previous && previous !== key) {
      var old = document.getElementById(previous);
      if (old) { old.classList.remove("is-current"); old.removeAttribute("aria-current"); }
      (marks[previous] || []).forEach(function (m) { m.classList.remove("is-current"); });
      var oldCard = document.getElementById("ev-" + previous);
      if (oldCard) { oldCard.hidden = true; }
    }
    li.classList.add("is-current");
    li.setAttribute("aria-current", "true");
    (marks[key] || []).forEach(function (m) { m.classList.add("is-current"); });
    var card = document.getElementById("ev-" + key);
    if (card) { card.hidden = false; }
    var list = visible();
    var pos = card && card.querySelector(".ev-pos");
    if (pos) {
      var i = list.indexOf(li);
      pos.textContent = i >= 0 ? "Finding " + (i + 1) + " of " + list.length + " · " : "";
    }
    if (empty) { empty.hidden = true; }
    if (panel) { panel.classList.add("open"); }
    var mark = (marks[key] || [])[0];
    if (mark) {
      // beside the panel on wide screens; above the bottom sheet on narrow ones
      var narrow = window.matchMedia("(max-width: 1000px)").matches;
      updateOffsets();
      mark.scrollIntoView({ block: narrow ? "start" : "center", inline: "nearest" });
      if (focus) { mark.focus({ preventScroll: true }); }
    }
  }

  function step(delta) {
    var list = visible();
    if (!list.length) { return; }
    var at = -1;
    list.forEach(function (li, i) { if (li.id === current) { at = i; } });
    var next = at < 0 ? (delta > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, at + delta));
    select(list[next].id, true);
  }

  function closePanel() {
    if (panel) { panel.classList.remove("open"); }
    var mark = current && (marks[current] || [])[0];
    if (mark) { mark.focus({ preventScroll: true }); }
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    // "Show in text and evidence" in the list, a finding in a claim-matrix cell
    var link = target.closest("a[data-key]");
    if (link) {
      event.preventDefault();
      select(link.dataset.key, true);
      return;
    }
    var toggle = target.closest("button[data-filter]");
    if (toggle) {
      var on = toggle.getAttribute("aria-pressed") !== "true";
      toggle.setAttribute("aria-pressed", on ? "true" : "false");
      filters.severity[toggle.dataset.value] = on;
      applyFilters();
      return;
    }
    var stepper = target.closest("button[data-step]");
    if (stepper) {
      step(Number(stepper.dataset.step));
      return;
    }
    if (target.closest("#panel-close")) {
      closePanel();
      return;
    }
    if (target.closest("#filter-reset")) {
      filters.severity = { high: true, medium: true, low: true };
      filters.type = "";
      filters.article = "";
      Array.prototype.forEach.call(document.querySelectorAll("button[data-filter]"), function (b) {
        b.setAttribute("aria-pressed", "true");
      });
      Array.prototype.forEach.call(document.querySelectorAll("select[data-filter]"), function (s) {
        s.value = "";
      });
      applyFilters();
      return;
    }
    var mark = target.closest("mark[data-key]");
    if (mark && !target.closest("a")) {
      select(mark.dataset.key, true);
    }
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.dataset.filter) {
      filters[target.dataset.filter] = target.value;
      applyFilters();
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) { return; }
    var target = event.target;
    // never while typing or choosing: form controls keep their keys
    if (target instanceof Element && target.closest("input, select, textarea, [contenteditable]")) { return; }
    if ((event.key === "j" || event.key === "k") && !keysOn()) { return; }
    if (event.key === "j") {
      event.preventDefault();
      step(1);
    } else if (event.key === "k") {
      event.preventDefault();
      step(-1);
    } else if (event.key === "Escape" && panel && panel.classList.contains("open")) {
      closePanel();
    } else if ((event.key === "Enter" || event.key === " ") && target instanceof Element && target.matches("mark[data-key]")) {
      event.preventDefault();
      select(target.dataset.key, true);
    }
  });

  window.addEventListener("resize", layout);
  applyShortcuts();
  applyFilters();
  layout();
}());
