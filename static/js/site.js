// leerKRACHT mentoring: the only script (no inline scripts, so a strict CSP holds).
// 1. A form that came back with errors: move the focus to its error summary, which is
//    then read out (it is also an alert region).
// 2. The main menu collapses behind a button on small screens.
document.addEventListener("DOMContentLoaded", function () {
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
