/* drift report: filters, finding navigation (j / k), evidence panel. Reads the DOM only; never
   writes HTML (textContent and attributes only). Without JS the page shows everything. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  var items = Array.prototype.slice.call(document.querySelectorAll("#finding-list > li.finding"));
  var panel = document.getElementById("evidence");
  var empty = document.getElementById("panel-empty");
  var status = document.getElementById("filter-status");
  var marks = {};
  Array.prototype.forEach.call(document.querySelectorAll("mark[data-key]"), function (m) {
    (marks[m.dataset.key] = marks[m.dataset.key] || []).push(m);
  });
  var filters = { severity: { high: true, medium: true, low: true }, type: "", article: "" };
  var current = null;

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

  function select(key, focus) {
    var li = document.getElementById(key);
    if (!li) { return; }
    current = key;
    items.forEach(function (other) {
      var on = other === li;
      other.classList.toggle("is-current", on);
      if (on) { other.setAttribute("aria-current", "true"); } else { other.removeAttribute("aria-current"); }
    });
    Object.keys(marks).forEach(function (k) {
      marks[k].forEach(function (m) { m.classList.toggle("is-current", k === key); });
    });
    Array.prototype.forEach.call(document.querySelectorAll(".ev-card"), function (card) {
      card.hidden = card.dataset.key !== key;
    });
    var list = visible();
    var card = document.getElementById("ev-" + key);
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
    var goto = target.closest("a.goto[data-key]");
    if (goto) {
      event.preventDefault();
      select(goto.dataset.key, true);
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
    if (target instanceof Element && target.closest("input, select, textarea, [contenteditable]")) { return; }
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

  applyFilters();
}());
