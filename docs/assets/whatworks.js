/* What Works: print buttons, sortable tables, and wide tables reachable by keyboard.
   Every page works without this file: print buttons are published hidden, so nobody meets a
   button that does nothing, and tables keep their published order. */
(function () {
  "use strict";

  document.querySelectorAll("[data-ww-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  function isBlank(value) { return value === null || value === ""; }

  function sortValue(cell, numeric) {
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim().toLowerCase();
    if (!numeric) return raw;
    return raw === "" ? null : Number(raw);
  }

  // Header cells become buttons; the sorted column carries aria-sort, which screen readers announce.
  function makeSortable(table) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var body = table.tBodies[0];
    var status = table.querySelector(".ww-sort-status");
    headers.forEach(function (th, index) {
      var label = th.textContent.trim();
      var numeric = th.getAttribute("data-sort-type") === "number";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "ww-sort";
      button.textContent = label;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        // A table with a <tbody> per item (a row and the details under it) sorts the
        // groups by their first row; otherwise the rows are sorted.
        var grouped = table.tBodies.length > 1;
        var rows = Array.prototype.slice.call(grouped ? table.tBodies : body.rows);
        rows.sort(function (a, b) {
          var x = sortValue((grouped ? a.rows[0] : a).cells[index], numeric);
          var y = sortValue((grouped ? b.rows[0] : b).cells[index], numeric);
          // A blank (the source does not say) goes last whichever way the column is sorted.
          if (isBlank(x) || isBlank(y)) return isBlank(x) - isBlank(y);
          var order = numeric ? x - y : x.localeCompare(y, "en");
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { (grouped ? table : body).appendChild(row); });
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        if (status) status.textContent = ", sorted by " + label.toLowerCase() + (ascending ? ", ascending" : ", descending");
      });
    });
  }

  document.querySelectorAll("table[data-ww-sortable]").forEach(makeSortable);

  // A table wider than the page scrolls inside Material's wrapper. Keyboard users must be
  // able to reach it to scroll it, so a wrapper that scrolls joins the tab order, named.
  function focusableScrollRegions() {
    var count = 0;
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.parentElement.closest("[role=region]")) return;  // already a named, focusable region
      if (wrap.scrollWidth > wrap.clientWidth && !wrap.hasAttribute("tabindex")) {
        count += 1;
        var caption = wrap.querySelector("caption");
        wrap.tabIndex = 0;
        wrap.setAttribute("role", "region");
        // Each region's name must be unique on the page.
        wrap.setAttribute("aria-label", (caption ? caption.textContent.trim() + ", " : "") + "wide table " + count + " (scrolls sideways)");
      }
    });
  }
  window.addEventListener("load", focusableScrollRegions);
  window.addEventListener("resize", focusableScrollRegions);

  // Glossary terms show their definition on focus and hover (whatworks.css); Escape hides
  // it until the term loses focus, as a tooltip should.
  document.addEventListener("keydown", function (event) {
    var term = document.activeElement;
    if (event.key === "Escape" && term && term.classList && term.classList.contains("ww-gloss")) {
      term.classList.add("ww-gloss--dismissed");
    }
  });
  document.addEventListener("focusout", function (event) {
    if (event.target.classList && event.target.classList.contains("ww-gloss")) event.target.classList.remove("ww-gloss--dismissed");
  });
})();
