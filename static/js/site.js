// leerKRACHT mentoring: the only script (no inline scripts, so a strict CSP holds).
// 1. A form that came back with errors: move the focus to its error summary, which is
//    then read out (it is also an alert region).
// 2. The main menu collapses behind a button on small screens.
// 3. A table box that scrolls sideways can be reached and scrolled with the keyboard: it gets
//    tabindex="0" and the name of the heading above it (WCAG 2.1.1; axe scrollable-region-focusable).
function labelFor(wrap) {
  var table = wrap.querySelector("table");
  if (table && table.caption) return table.caption.textContent;
  for (var el = wrap.previousElementSibling; el; el = el.previousElementSibling) {
    if (/^H[1-6]$/.test(el.tagName)) return el.textContent;
  }
  var section = wrap.closest("section, article, main");
  var heading = section && section.querySelector("h1, h2, h3");
  if (heading) return heading.textContent;
  var th = wrap.querySelector("th");
  return th ? th.textContent : "";
}

function markScrollingTables() {
  document.querySelectorAll(".table-wrap").forEach(function (wrap) {
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    if (scrolls && !wrap.hasAttribute("tabindex")) {
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      if (!wrap.hasAttribute("aria-label")) {
        wrap.setAttribute("aria-label", labelFor(wrap).trim());
        wrap.dataset.scrollLabel = "1";
      }
      wrap.dataset.scrollFocus = "1";
    } else if (!scrolls && wrap.dataset.scrollFocus) {
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
      if (wrap.dataset.scrollLabel) wrap.removeAttribute("aria-label");
      delete wrap.dataset.scrollFocus;
      delete wrap.dataset.scrollLabel;
    }
  });
}

window.addEventListener("resize", markScrollingTables);

document.addEventListener("DOMContentLoaded", function () {
  markScrollingTables();
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
  var toggle = document.querySelector(".menu-toggle");
  var nav = document.getElementById("main-nav");
  if (toggle && nav) {
    toggle.hidden = false;
    nav.classList.add("collapsible");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
      nav.classList.toggle("open", !open);
    });
  }
});
