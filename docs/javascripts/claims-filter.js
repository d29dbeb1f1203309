/* All claims: filter the table by chapter, status and corrections, in the browser (no server).
 * Without JavaScript the page shows every claim; with it, a small form above the table hides the
 * rows that do not match. ?chapter=ch3-neural-networks.md&status=failed&corrected=1 preselects. */
(function () {
  "use strict";

  // The form speaks the page's language: the Korean edition's All claims page is <html lang="ko">.
  const WORDS = {
    en: {
      passed: "passed",
      partial: "passed, some specs skipped",
      failed: "failed",
      skipped: "skipped",
      unverified: "unverified",
      "not-run": "not run",
      all: "all",
      label: "Filter the claims",
      chapter: "Chapter ",
      status: "Status ",
      corrected: " only with an erratum",
      count: (shown, total) => `${shown} of ${total} claims`,
    },
    ko: {
      passed: "통과",
      partial: "통과, 일부 명세 건너뜀",
      failed: "실패",
      skipped: "건너뜀",
      unverified: "미확인",
      "not-run": "실행 안 됨",
      all: "전체",
      label: "주장 걸러 보기",
      chapter: "장 ",
      status: "상태 ",
      corrected: " 정오가 있는 것만",
      count: (shown, total) => `주장 ${total}개 중 ${shown}개`,
    },
  };
  const say = WORDS[document.documentElement.lang] || WORDS.en;
  const STATUS_LABELS = Object.fromEntries(
    ["passed", "partial", "failed", "skipped", "unverified", "not-run"].map((k) => [k, say[k]])
  );

  function field(label, control) {
    const wrap = document.createElement("label");
    wrap.className = "nn-filter__field";
    wrap.append(label, control);
    return wrap;
  }

  function select(name, options) {
    const s = document.createElement("select");
    s.name = name;
    for (const [value, text] of [["", say.all], ...options]) {
      const o = document.createElement("option");
      o.value = value;
      o.textContent = text;
      s.append(o);
    }
    return s;
  }

  function matches(row, chapter, status, corrected) {
    if (chapter && row.dataset.chapter !== chapter) return false;
    if (status === "partial" && row.dataset.partial !== "1") return false;
    if (status && status !== "partial" && row.dataset.status !== status) return false;
    return !corrected || row.dataset.corrected === "1";
  }

  function setUp(box) {
    if (box.dataset.filter === "ready") return;
    box.dataset.filter = "ready";
    const rows = [...box.querySelectorAll("tbody tr")];
    const chapters = new Map(rows.map((r) => [r.dataset.chapter, r.dataset.chapterTitle]));
    const present = new Set(rows.map((r) => r.dataset.status));
    if (rows.some((r) => r.dataset.partial === "1")) present.add("partial");

    const chapter = select("chapter", [...chapters]);
    const status = select("status", Object.keys(STATUS_LABELS).filter((k) => present.has(k)).map((k) => [k, STATUS_LABELS[k]]));
    const corrected = document.createElement("input");
    corrected.type = "checkbox";
    corrected.name = "corrected";
    const count = document.createElement("output");
    count.className = "nn-filter__count";
    count.setAttribute("aria-live", "polite");

    const form = document.createElement("form");
    form.className = "nn-filter";
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", say.label);
    form.append(field(say.chapter, chapter), field(say.status, status), field(corrected, say.corrected), count);
    form.addEventListener("submit", (event) => event.preventDefault());

    const query = new URLSearchParams(location.search);
    if (chapters.has(query.get("chapter"))) chapter.value = query.get("chapter");
    if (present.has(query.get("status"))) status.value = query.get("status");
    corrected.checked = query.get("corrected") === "1";

    const apply = () => {
      let shown = 0;
      for (const row of rows) {
        const ok = matches(row, chapter.value, status.value, corrected.checked);
        row.hidden = !ok;
        shown += ok;
      }
      count.value = say.count(shown, rows.length);
    };
    form.addEventListener("change", apply);
    box.before(form);
    apply();
  }

  const run = () => document.querySelectorAll(".nn-claims").forEach(setUp);
  if (typeof document$ !== "undefined") document$.subscribe(run); // Material's instant navigation
  else document.addEventListener("DOMContentLoaded", run);
})();
