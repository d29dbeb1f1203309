/* A link to something folded away (an exercise's answer, a claim's fine print) opens the folds
 * around it: on arrival, on a click within the page, and after Material's instant navigation. */
(function () {
  "use strict";

  function openTarget() {
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id && document.getElementById(id);
    if (!target) return;
    let opened = false;
    for (let el = target.parentElement; el; el = el.parentElement) {
      if (el.tagName === "DETAILS" && !el.open) {
        el.open = true;
        opened = true;
      }
    }
    if (opened) target.scrollIntoView();  // the claim's scroll-margin keeps it below the header
  }

  window.addEventListener("hashchange", openTarget);
  if (window.document$) window.document$.subscribe(openTarget);
  else document.addEventListener("DOMContentLoaded", openTarget);
})();
