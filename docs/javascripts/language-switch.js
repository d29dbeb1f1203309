/* The header's language switch (English / 한국어) opens the page the reader is on in the other
 * edition, at the same place: the claim, erratum or section in the address, or else the one the
 * reader has scrolled to (the last whose top has reached the header). Both editions give a claim, an erratum and a heading the
 * same anchor, and every page exists in both (tests/test_editions.py), under ko/ for Korean.
 *
 * The link is computed when it is clicked, from the page the reader is on: Material's instant
 * navigation swaps the page content but keeps the header, links included, of the first page opened.
 * The switch then loads the other edition in full (its navigation, search and header are its own). */
(function () {
  "use strict";

  const EDITIONS = ["ko"];  // the translated editions, each under <site>/<lang>/; English at the root
  const SCRIPT = "javascripts/language-switch.js";
  const src = document.currentScript && document.currentScript.src;
  const root = src && src.endsWith(SCRIPT) ? src.slice(0, -SCRIPT.length) : null;

  const ANCHORED = ".md-content .nn-claim[id], .md-content .admonition[id], .md-content .nn-correction[id], " +
    ".md-content h1[id], .md-content h2[id], .md-content h3[id], .md-content h4[id]";

  function here() {
    const id = decodeURIComponent(location.hash.slice(1));
    if (id && document.getElementById(id)) return id;
    if (window.scrollY <= 0) return "";
    // what the reader is at: the last anchor whose top has reached the header's bottom, or the
    // place a jump to it leaves it at (its scroll-margin-top: 4rem for a claim), whichever is lower,
    // give or take half a line for sub-pixel scrolling
    const header = document.querySelector(".md-header");
    const headerBottom = header ? header.getBoundingClientRect().bottom : 0;
    const slack = 0.5 * parseFloat(getComputedStyle(document.documentElement).fontSize);
    let last = "";
    for (const el of document.querySelectorAll(ANCHORED)) {
      const margin = parseFloat(getComputedStyle(el).scrollMarginTop) || 0;
      if (el.getBoundingClientRect().top > Math.max(headerBottom, margin) + slack) break;
      last = el.id;
    }
    return last;
  }

  /* The URL of the current page in edition `lang` ("en" or one of EDITIONS). */
  function counterpart(lang) {
    const url = new URL(location.href);
    if (!root || !url.href.startsWith(root)) return null;
    let rel = url.href.slice(root.length).split(/[?#]/)[0];
    const current = EDITIONS.find((e) => rel === e + "/" || rel.startsWith(e + "/"));
    if (current) rel = rel.slice(current.length + 1);
    const target = new URL(root + (lang === "en" ? "" : lang + "/") + rel);
    const id = here();
    if (id) target.hash = "#" + encodeURIComponent(id).replace(/%2E/gi, ".");
    return target.href;
  }

  function follow(event) {
    const link = event.target.closest && event.target.closest("a.md-select__link[hreflang]");
    if (!link) return;
    const href = counterpart(link.getAttribute("hreflang"));
    if (!href) return;  // not under this site's root: keep the plugin's link
    link.setAttribute("href", href);
    if (event.type === "click" && event.button === 0 && !(event.ctrlKey || event.metaKey || event.shiftKey)) {
      event.preventDefault();
      event.stopImmediatePropagation();  // not through instant navigation: a full load of the other edition
      location.assign(href);
    }
  }

  // capture: before Material's instant navigation handles the click; the other events keep the
  // href right for a middle click, "open in new tab" and the status bar
  document.addEventListener("click", follow, true);
  document.addEventListener("auxclick", follow, true);
  document.addEventListener("pointerover", follow, true);
  document.addEventListener("focusin", follow, true);
})();
