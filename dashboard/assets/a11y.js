/*
 * Accessibility fix-ups for Dash 4 components, local (no CDN).
 *
 * dcc.Dropdown's keyboard focus target is a read-only <input aria-hidden="true" tabindex="0">:
 * a keyboard user lands on an element hidden from screen readers (axe: aria-hidden-focus).
 * We expose it instead, named after the filter's <label> and the current value, with the
 * combobox role, so the control is both reachable and announced.
 */
(function () {
  "use strict";
  function fix(root) {
    var targets = root.querySelectorAll("input.dash-dropdown-focus-target[aria-hidden]");
    targets.forEach(function (input) {
      var wrapper = input.closest(".filter");
      var label = wrapper ? wrapper.querySelector("label") : null;
      var value = wrapper ? wrapper.querySelector(".dash-dropdown-value") : null;
      input.removeAttribute("aria-hidden");
      input.setAttribute("role", "combobox");
      input.setAttribute("aria-haspopup", "listbox");
      input.setAttribute("aria-expanded", "false");
      var name = label ? label.textContent : "";
      if (value && value.textContent) { name += ": " + value.textContent; }
      input.setAttribute("aria-label", name);
      if (label && label.id) { input.setAttribute("aria-describedby", label.id); }
    });
  }
  function fixButtons(root) {
    /* The trigger button is named by aria-labelledby pointing at parts of its own content;
       for multi-selects that name differs from the visible text (axe:
       label-content-name-mismatch). Its content already names it. */
    root.querySelectorAll("button.dash-dropdown[aria-labelledby]").forEach(function (b) {
      b.removeAttribute("aria-labelledby");
    });
  }
  var observer = new MutationObserver(function () { fix(document); fixButtons(document); });
  function start() {
    fix(document);
    fixButtons(document);
    observer.observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
