"""JavaScript the browser spec runs inside each page, and the patterns it judges text by.

Every probe returns plain data (lists of problems, measurements); the spec in ``test_site.py``
does the asserting, so a failure message names the page and the element.
"""

from __future__ import annotations

# Shows an element that sits in a closed <details> or an inactive content tab (markdown-exec puts
# a figure's "Result" and "Source" in tabs), so that it can be measured as a reader would see it.
_REVEAL = r"""
const reveal = (el) => {
  for (let a = el.parentElement; a; a = a.parentElement) {
    if (a.tagName === 'DETAILS' && !a.open) a.open = true;
    if (a.classList && a.classList.contains('tabbed-block')) {
      const content = a.parentElement, set = content && content.parentElement;
      const i = [...content.children].indexOf(a);
      const inputs = set ? [...set.children].filter((c) => c.tagName === 'INPUT') : [];
      if (inputs[i]) inputs[i].checked = true;
    }
  }
};
const box = (el) => {
  const r = el.getBoundingClientRect();
  return {w: r.width, h: r.height, top: r.top, bottom: r.bottom, cy: r.top + r.height / 2};
};
const sized = (b) => b.w > 0 && b.h > 0;
const shown = (el) => el.checkVisibility() && sized(box(el));
const snip = (el) => (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 70);
// where an element is, for messages: its closest ancestor with an id, else the heading before it
const near = (el) => {
  const holder = el.closest('[id]:not(.md-container):not(.md-main):not(.md-content)');
  if (holder) return '#' + holder.id;
  const before = [...document.querySelectorAll('h1[id], h2[id], h3[id], h4[id], h5[id], h6[id]')]
    .filter((h) => h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
  return before.length ? 'after #' + before[before.length - 1].id : el.tagName.toLowerCase();
};
"""

# Raw TeX a reader must never see: $$, \( \) \[ \], a TeX command such as \frac, or an
# inline $x$ pair (a "$" at a word edge on both sides; "$5 and $10" does not match).
RAW_TEX_PATTERNS = [
    r"\$\$",
    r"\\[()\[\]]",
    r"\\[A-Za-z]{2,}",
    r"(?:^|[^\w$\\])\$[^\s$](?:[^$\n]{0,200}[^\s$])?\$(?![\w$])",
]

# Everything one page shows: math, raw TeX, claims, status badges, figures, requests.
SURVEY = (
    _REVEAL
    + r"""
const TEX = arguments[0].map((p) => new RegExp(p));
const out = {math: 0, mathProblems: [], rawTex: [], claims: [], statusCells: [], figures: [],
             resources: [], title: document.title, h1: snip(document.querySelector('h1') || document.body)};

// math: laid out by the browser as MathML, with a size, scripts above/below their base
const rel = {
  mfrac: [['numerator', 'above', 'denominator']],
  msup: [['superscript', 'above']], msub: [['subscript', 'below']],
  msubsup: [['subscript', 'below'], ['superscript', 'above']],
  mover: [['overscript', 'above']], munder: [['underscript', 'below']],
  munderover: [['underscript', 'below'], ['overscript', 'above']],
};
for (const m of document.querySelectorAll('math')) {
  out.math += 1;
  reveal(m);
  const b = box(m), tex = snip(m), display = getComputedStyle(m).display;
  if (!display.includes('math')) out.mathProblems.push(`not laid out as MathML (display: ${display}) at ${near(m)}: ${tex}`);
  if (!sized(b)) out.mathProblems.push(`zero-size math (${b.w}x${b.h}) at ${near(m)}: ${tex}`);
  if (m.querySelector('merror')) out.mathProblems.push(`<merror> at ${near(m)}: ${tex}`);
  for (const el of m.querySelectorAll(Object.keys(rel).join(','))) {
    const kids = [...el.children].map(box);
    if (el.tagName.toLowerCase() === 'mfrac') {
      const [num, den] = kids;
      if (num && den && num.h && den.h && !(num.cy < den.cy))
        out.mathProblems.push(`numerator not above denominator at ${near(m)}: ${tex}`);
      continue;
    }
    const base = kids[0];
    rel[el.tagName.toLowerCase()].forEach(([what, side], i) => {
      const k = kids[i + 1];
      if (!base || !k || !base.h || !k.h) return;
      const ok = side === 'above' ? k.cy < base.cy : k.cy > base.cy;
      if (!ok) out.mathProblems.push(`${what} not ${side} its base at ${near(m)}: ${tex}`);
    });
  }
}

// raw TeX in any text a reader can get to (code and figures excepted), and in the tab title
const SKIP = 'pre, code, script, style, noscript, svg, kbd, samp, textarea, .highlight';
const look = (text, el) => {
  for (const re of TEX) {
    const hit = re.exec(text);
    if (hit) {
      const at = Math.max(0, hit.index - 30);
      out.rawTex.push(`${el ? near(el) : '<title>'}: ...${text.slice(at, hit.index + hit[0].length + 30).replace(/\s+/g, ' ')}...`);
      return;
    }
  }
};
const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let n = walk.nextNode(); n; n = walk.nextNode()) {
  if (n.parentElement && !n.parentElement.closest(SKIP)) look(n.data, n.parentElement);
}
look(document.title, null);
for (const el of document.querySelectorAll('.arithmatex'))
  out.rawTex.push(`unconverted arithmatex element at ${near(el)}: ${snip(el)}`);

// claim blocks and their status badges
const badge = (s) => {
  if (!s) return {badge: null, badgeShown: false, badgeClass: '', fg: '', bg: ''};
  const cs = getComputedStyle(s);
  return {badge: s.textContent.replace(/\s+/g, ' ').trim(), badgeShown: shown(s),
          badgeClass: [...s.classList].find((k) => k.startsWith('nn-status--')) || '',
          fg: cs.color, bg: cs.backgroundColor};
};
const text = (el) => (el.textContent || '').replace(/\s+/g, ' ').trim();
for (const c of document.querySelectorAll('.nn-claim')) {
  reveal(c);
  // the skip reasons and failure messages the claim shows under it
  const messages = [...c.querySelectorAll('.admonition.info, .admonition.failure, details.info, details.failure')]
    .map((m) => ({kind: m.classList.contains('failure') ? 'failure' : 'skip',
                  title: text(m.querySelector('.admonition-title, summary') || m), text: text(m)}));
  // the claim's specs: one collapsible "Specs (N)" holding N specs, each with its source
  const specs = [...c.querySelectorAll('details.spec')].map((d) => ({
    title: text(d.querySelector('summary') || d),
    items: [...d.querySelectorAll('details.spec-item')].map((i) => ({
      title: text(i.querySelector('summary') || i), source: !!i.querySelector('pre code'),
    })),
  }));
  out.claims.push({id: c.id, shown: shown(c), messages, specs, ...badge(c.querySelector('.nn-status'))});
}
for (const s of document.querySelectorAll('.nn-status')) {
  if (s.closest('.nn-claim')) continue;
  const row = s.closest('tr'), link = row && row.querySelector('a[href*="#"]');
  out.statusCells.push({href: link ? link.href : null, text: link ? snip(link) : null, ...badge(s)});
}

// figures drawn at build time: an SVG image, decoded, with a size on the page and a caption
for (const f of document.querySelectorAll('figure.nn-figure')) {
  reveal(f);
  const img = f.querySelector('img');
  out.figures.push({
    caption: snip(f.querySelector('figcaption') || f), img: !!img,
    box: img ? box(img) : null,
    natural: img ? {w: img.naturalWidth, h: img.naturalHeight} : null,
    complete: img ? img.complete : false,
    alt: img ? img.getAttribute('alt') : null,
  });
}

out.resources = performance.getEntriesByType('resource').map((e) => e.name);
const repo = document.querySelector('.md-header .md-source'), edit = document.querySelector('.md-content a[rel="edit"]');
out.repo = repo ? repo.href.replace(/\/$/, '') : null;
out.edit = edit ? edit.href : null;
return out;
"""
)

# Every <img>, and every <image> inside an SVG, has loaded with a nonzero natural size.
IMAGES = (
    _REVEAL
    + r"""
const done = arguments[arguments.length - 1];
const settle = (p) => Promise.race([p, new Promise((r) => setTimeout(r, 4000))]);
(async () => {
  const out = [];
  for (const img of document.querySelectorAll('img')) {
    reveal(img);
    img.loading = 'eager';
    if (!img.complete) await settle(new Promise((r) => {
      img.addEventListener('load', r, {once: true});
      img.addEventListener('error', r, {once: true});
    }));
    out.push({src: (img.currentSrc || img.src).slice(0, 120), at: near(img),
              ok: img.complete && img.naturalWidth > 0, width: img.naturalWidth});
  }
  for (const im of document.querySelectorAll('svg image')) {
    const href = im.getAttribute('href') || im.getAttribute('xlink:href') || '';
    const probe = new Image();
    probe.src = new URL(href, location.href).href;
    await settle(probe.decode().catch(() => null));
    out.push({src: href.slice(0, 120), at: near(im), ok: probe.naturalWidth > 0, width: probe.naturalWidth});
  }
  done(out);
})();
"""
)

# Where an element sits in the viewport, below Material's fixed header or not.
IN_VIEW = r"""
const el = document.getElementById(arguments[0]);
if (!el) return null;
const r = el.getBoundingClientRect();
const header = document.querySelector('.md-header');
return {top: r.top, bottom: r.bottom, innerHeight: window.innerHeight, scrollY: window.scrollY,
        headerBottom: header ? header.getBoundingClientRect().bottom : 0,
        target: document.querySelector(':target') === el};
"""

# The corrections page: each correction, its Korean sentence, what it links to, its status.
CORRECTIONS = r"""
const text = (el) => (el ? el.textContent : '').replace(/\s+/g, ' ').trim();
return [...document.querySelectorAll('.nn-correction')].map((c) => ({
  id: c.id,
  title: text(c.querySelector('.nn-correction__title strong')),
  korean: text(c.querySelector('[lang="ko"]')),
  koreanLang: (c.querySelector('blockquote.nn-source') || {}).lang || null,
  badge: text(c.querySelector('.nn-status')),
  links: [...c.querySelectorAll('a[href]')].map((a) => ({text: text(a), href: a.href})),
}));
"""

# The All claims filter: pick a chapter and a status, report which rows stay visible.
FILTER = r"""
const [chapter, status] = arguments;
const form = document.querySelector('form.nn-filter');
if (!form) return null;
const set = (name, value) => {
  const el = form.elements[name];
  el.value = value;
  el.dispatchEvent(new Event('change', {bubbles: true}));
};
set('chapter', chapter);
set('status', status);
const rows = [...document.querySelectorAll('.nn-claims tbody tr')];
const visible = rows.filter((r) => r.checkVisibility());
return {total: rows.length, shown: visible.map((r) => [r.dataset.chapter, r.dataset.status]),
        count: form.querySelector('output').value,
        options: [...form.elements['chapter'].options].map((o) => o.value)};
"""

# Layout at the current window width: nothing wider than the viewport, nothing clipped, every box
# that scrolls sideways shows a cue, every figure's smallest text legible. Opens every collapsible
# and shows every content tab first, so that hidden content is measured too. Returns problems.
# arguments[0]: the smallest legible figure text in CSS px. Asynchronous: it measures once the web
# fonts (the math font) have loaded, as a reader sees the page.
LAYOUT = r"""
const LEGIBLE_PX = arguments[0], done = arguments[arguments.length - 1];
document.fonts.ready.then(() => {
for (const d of document.querySelectorAll('details')) d.open = true;
if (!document.getElementById('nn-probe-tabs')) {
  const style = document.createElement('style');
  style.id = 'nn-probe-tabs';
  style.textContent = '.tabbed-set > .tabbed-content > .tabbed-block { display: block !important; }';
  document.head.append(style);
}
const root = document.documentElement, vw = root.clientWidth, out = [];
const snip = (el) => (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 60);
const where = (el) => {
  const holder = el.closest('[id]:not(.md-container):not(.md-main):not(.md-content)');
  const tag = el.tagName.toLowerCase() + (el.classList.length ? '.' + [...el.classList].join('.') : '');
  return `${tag}${holder ? ' in #' + holder.id : ''} "${snip(el)}"`;
};
if (root.scrollWidth > vw + 1) out.push(`the page scrolls sideways: ${root.scrollWidth} px wide in a ${vw} px viewport`);

const content = document.querySelector('.md-content');
const scrolls = (cs) => cs.overflowX === 'auto' || cs.overflowX === 'scroll';
const flagged = new Set();
for (const el of content ? content.querySelectorAll('*') : []) {
  const r = el.getBoundingClientRect();
  if (!(r.width > 0 && r.height > 0) || (r.right <= vw + 1 && r.left >= -1)) continue;
  if (!el.checkVisibility({visibilityProperty: true})) continue;
  let holder = el.parentElement;
  while (holder && holder !== document.body && getComputedStyle(holder).overflowX === 'visible') holder = holder.parentElement;
  if (holder && holder !== document.body && scrolls(getComputedStyle(holder))) continue;  // checked below as a scroll box
  if (flagged.has(el.parentElement)) { flagged.add(el); continue; }  // report the outermost only
  flagged.add(el);
  const clip = holder && holder !== document.body ? `clipped by ${where(holder)}` : 'wider than the viewport';
  out.push(`${where(el)} spans ${Math.round(r.left)}..${Math.round(r.right)} px of a ${vw} px viewport: ${clip}`);
}

// boxes that scroll sideways: must be able to scroll, and show a cue (phones hide scrollbars)
for (const el of content ? content.querySelectorAll('*') : []) {
  if (el.scrollWidth <= el.clientWidth + 1 || !el.clientWidth) continue;
  const cs = getComputedStyle(el);
  if (cs.overflowX === 'visible') continue;  // its overflow is judged above
  if (!scrolls(cs)) out.push(`${where(el)} clips its content (${el.scrollWidth} px in ${el.clientWidth} px, overflow-x: ${cs.overflowX})`);
  else if (!cs.backgroundImage.includes('gradient'))
    out.push(`${where(el)} scrolls sideways (${el.scrollWidth} px in ${el.clientWidth} px) with no cue`);
}

// figures: the smallest text, as drawn, at the size the page shows the image
for (const img of document.querySelectorAll('figure.nn-figure img')) {
  if (!img.dataset.textPx) { out.push(`figure "${img.alt.slice(0, 50)}" does not say its text size (data-text-px)`); continue; }
  const shown = img.getBoundingClientRect().width, natural = Number(img.getAttribute('width'));
  const px = Number(img.dataset.textPx) * shown / natural;
  if (shown > 0 && natural > 0 && px < LEGIBLE_PX - 0.05)
    out.push(`figure "${img.alt.slice(0, 50)}" shows its smallest text at ${px.toFixed(1)} px (< ${LEGIBLE_PX} px)`);
}
done(out);
});
"""
