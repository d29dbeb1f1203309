"""MkDocs hook: every formula becomes MathML at build time, strictly, and fits a phone.

Pages (and docstrings) write TeX between ``$…$`` / ``$$…$$``; ``pymdownx.arithmatex`` marks it,
and this hook turns it into MathML with ``latex2mathml`` — no JavaScript, no CDN. The browser lays
the MathML out with the math font the site ships (``docs/assets/fonts/``).

Strict: TeX the converter cannot translate faithfully fails the build, naming the page and the
formula, instead of leaking into the text. ``latex2mathml`` does not complain about much by
itself, so :func:`to_mathml` checks both the TeX (``\\\\[4pt]``, unknown environments, unbalanced
braces) and the MathML (a command left as text, a stray ``&``, line breaks browsers ignore,
``menclose`` that Chromium does not draw). It also repairs what the converter gets half right and
browsers then show wrongly: ``\\mathbf{1}`` and friends become the Unicode mathematical
alphanumerics (Chromium ignores ``mathvariant``), ``\\mathrel{-}=`` one relation, text-mode
escapes inside ``\\text{}`` their characters, and ``\\operatorname{softmax}(x)`` loses the
operator spacing that pushed its parenthesis away.

Phones: MathML has no line breaking, so a display formula is cut into pieces where TeX itself
would break a formula — before each relation (``=``, ``\\le``, ``\\approx`` …) and at ``\\quad``
gaps (any space from ``\\;`` up, outside brackets), and, only inside a piece still too wide,
before ``+``/``−`` and after commas — laid out in nested wrapping flex boxes (``.nn-math--split`` in ``docs/stylesheets/nnspec.css``): one line on
a wide screen, several on a narrow one. A long inline formula gets break opportunities after
its relations and commas. A piece that is still
too wide scrolls inside its own box, with a shadow as the cue.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
import xml.etree.ElementTree as ET

from latex2mathml import commands as l2m_commands
from latex2mathml.converter import convert
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.texmath")

NS = "http://www.w3.org/1998/Math/MathML"
ET.register_namespace("", NS)

TOKENS = {"mi", "mn", "mo", "ms", "mtext"}
# Relations: a display formula may break before one, an inline formula after one.
RELATIONS = set("=<>≤≥≦≧≈≃≅≠≡≢∼∝∈∉⊂⊆⊃⊇→←↔⇒⇐⇔⟶⟹⟸⟺↦⟼≔≪≫∣")
OPENING = set("([{⟨|‖⌊⌈")
CLOSING = set(")]}⟩|‖⌋⌉")
SIGNS = set("−+±∓")
ROWS = {"math", "mrow", "mtd", "mstyle", "mpadded", "mphantom", "msqrt"}
# Environments latex2mathml turns into tables (it silently drops any other).
ENVIRONMENTS = {name.lstrip("\\") for name in l2m_commands.MATRICES}
# Inline formulas shorter than this (in characters shown) never need a line break.
INLINE_SPLIT_MIN_CHARS = 24
# Spaces at which a formula may become two lines: an explicit space of TeX's \; (0.278em) or
# more, e.g. "b \le 0,\; w_1 + b > 0" or "…, \qquad D_2 = …" (\, and no space do not count).
CLAUSE_SPACE_EM = 0.25
NBSP_EM = 0.333  # "\ " comes out as a no-break space: TeX's interword space
# "W = …", "y = …": a left-hand side this short stays with the first relation, as in TeX's
# multi-line displays, instead of standing alone on a line.
SHORT_LHS_CHARS = 3
OPEN_BRACKETS = set("([{⟨⌊⌈")
CLOSE_BRACKETS = set(")]}⟩⌋⌉")
THIN_SPACE = "0.1667em"  # TeX's \, : between an operator name and its argument
THICK_SPACE = "0.2778em"  # TeX's space around a relation

_VARIANT_NAMES = {
    "bold": "BOLD",
    "italic": "ITALIC",
    "bold-italic": "BOLD ITALIC",
    "double-struck": "DOUBLE-STRUCK",
    "script": "SCRIPT",
    "bold-script": "BOLD SCRIPT",
    "fraktur": "FRAKTUR",
    "bold-fraktur": "BOLD FRAKTUR",
    "sans-serif": "SANS-SERIF",
    "bold-sans-serif": "SANS-SERIF BOLD",
    "sans-serif-italic": "SANS-SERIF ITALIC",
    "sans-serif-bold-italic": "SANS-SERIF BOLD ITALIC",
    "monospace": "MONOSPACE",
}
_TEXT_STYLE = {
    "bold": "font-weight: bold",
    "italic": "font-style: italic",
    "bold-italic": "font-weight: bold; font-style: italic",
    "monospace": "font-family: var(--md-code-font-family)",
}
_TEXT_ESCAPE = re.compile(r"\\([_%#&${}])")
_COMMAND = re.compile(r"\\(?:[A-Za-z]+\*?|.)")


class TexError(ValueError):
    """A formula the converter cannot translate faithfully; the message says what and why."""


# --------------------------------------------------------------------------- checks


def tex_problems(tex: str) -> list[str]:
    """What is wrong with ``tex`` before it reaches the converter (which would not say)."""
    problems = []
    if re.search(r"\\\\\s*\[", tex):
        problems.append(r"'\\[length]' (extra space after a row) is not supported: drop the [length]")
    for env in re.findall(r"\\begin\s*\{([^}]*)\}", tex):
        if env not in ENVIRONMENTS:
            problems.append(f"environment '{env}' is not supported (use one of {', '.join(sorted(ENVIRONMENTS))})")
    depth = 0
    for brace in re.sub(r"\\[{}]|\\\\", "", tex):
        if brace in "{}":
            depth += 1 if brace == "{" else -1
            if depth < 0:
                break
    if depth:
        problems.append("unbalanced braces { }")
    return problems


def mathml_problems(root: ET.Element) -> list[str]:
    """What the converter let through untranslated, or translated into MathML browsers ignore."""
    problems = []
    for el in root.iter():
        tag = _local(el)
        text = el.text or ""
        if tag in TOKENS and "\\" in text:
            problems.append(f"'{_COMMAND.search(text).group(0)}' is not a command the converter knows")
        elif tag in ("mi", "mo") and text.strip() == "&":
            problems.append("'&' outside an environment with columns (cases, matrix …)")
        elif tag == "mspace" and el.get("linebreak"):
            problems.append(r"'\\' outside an environment with rows: browsers ignore MathML line breaks")
        elif tag == "menclose":
            problems.append(f"'{el.get('notation')}' needs <menclose>, which browsers do not draw")
    return list(dict.fromkeys(problems))


# --------------------------------------------------------------------------- repairs


def _local(el: ET.Element) -> str:
    return el.tag.rpartition("}")[2]


def _m(tag: str, **attrs: str) -> ET.Element:
    return ET.Element(f"{{{NS}}}{tag}", attrs)


def styled(text: str, variant: str) -> str:
    """``text`` in the Unicode mathematical alphanumerics of ``variant`` ("bold" → 𝐱, 𝟏 …).

    Characters the variant has no letter for (operators, punctuation) stay as they are.
    """
    name = _VARIANT_NAMES.get(variant)
    if name is None:
        return text
    out = []
    for ch in text:
        m = re.fullmatch(r"(?:LATIN|GREEK) (CAPITAL|SMALL) LETTER (.+)|DIGIT (.+)", unicodedata.name(ch, ""))
        if not m:
            out.append(ch)
            continue
        tail = f"{m[1]} {m[2]}" if m[1] else f"DIGIT {m[3]}"
        # The letterlike block holds the few that the mathematical block leaves out (ℝ, ℎ, ℭ …).
        for candidate in (
            f"MATHEMATICAL {name} {tail}",
            f"{name} {tail}",
            f"{name.replace('FRAKTUR', 'BLACK-LETTER')} {tail}",
        ):
            try:
                out.append(unicodedata.lookup(candidate))
                break
            except KeyError:
                continue
        else:
            out.append("ℎ" if (name, ch) == ("ITALIC", "h") else ch)
    return "".join(out)


def _embellished_top(el: ET.Element, parents: dict) -> ET.Element:
    """``\\max_i`` is an msub whose base is the operator: spacing is decided outside the msub."""
    while (p := parents.get(el)) is not None and _local(p) in SCRIPTED and p[0] is el:
        el = p
    return el


def repair(root: ET.Element) -> None:
    """Fix what the converter gets half right (see the module docstring), in place."""
    # \mathrel{X}: latex2mathml nests a row inside an <mo>; make it one relation, joined with the
    # relation that follows (\mathrel{-}= is "−=", as TeX sets two relations without space between)
    for row in list(root.iter()):
        kids = list(row)
        for i, el in enumerate(kids):
            if _local(el) == "mo" and len(el):
                text = "".join(el.itertext())
                for child in list(el):
                    el.remove(child)
                el.text = text
                nxt = kids[i + 1] if i + 1 < len(kids) else None
                if nxt is not None and _local(nxt) == "mo" and not len(nxt) and (nxt.text or "") in RELATIONS:
                    el.text += nxt.text
                    row.remove(nxt)
                el.set("lspace", THICK_SPACE)
                el.set("rspace", THICK_SPACE)

    for el in root.iter():
        variant = el.get("mathvariant")
        if variant is None or _local(el) not in TOKENS:
            continue
        if variant == "normal" and _local(el) == "mi" and len(el.text or "") == 1:
            continue  # the one mathvariant browsers implement
        del el.attrib["mathvariant"]
        if _local(el) == "mtext" and variant in _TEXT_STYLE:
            el.set("style", _TEXT_STYLE[variant])
        else:
            el.text = styled(el.text or "", variant)

    # A bare | or ‖ (|x|, ‖x‖) is an ordinary symbol in TeX; MathML would space the second one
    # as a relation ("|x | ≤ 1"). \left| … \right| (fence="true") is left to the browser.
    for el in root.iter():
        if _local(el) == "mo" and (el.text or "").strip() in ("|", "‖") and el.get("fence") != "true":
            el.set("lspace", "0")
            el.set("rspace", "0")

    # A sign after a relation, an opening bracket, a comma or another operator ("b = −0.7") is
    # unary: TeX sets it tight, MathML would space it as a binary minus unless told.
    for row in root.iter():
        if _local(row) not in ROWS:
            continue
        prev = None
        for el in row:
            if (
                _local(el) == "mo"
                and (el.text or "").strip() in SIGNS
                and prev is not None
                and _local(prev) == "mo"
                and (prev.text or "").strip() not in CLOSING
            ):
                el.set("form", "prefix")
            prev = el

    # \operatorname{softmax}(x): an <mo> word gets operator space on both sides, "softmax (x)".
    # TeX sets an operator name like a function name: tight before a parenthesis, a thin space
    # before anything else.
    parents = {child: p for p in root.iter() for child in p}
    for el in list(root.iter()):
        if not _is_word(el):
            continue
        el.tag = f"{{{NS}}}mi"
        for a in ("lspace", "rspace", "stretchy"):
            el.attrib.pop(a, None)
        top = _embellished_top(el, parents)
        row = parents.get(top)
        if row is None:
            continue
        kids = list(row)
        nxt = kids[kids.index(top) + 1] if kids.index(top) + 1 < len(kids) else None
        if nxt is None or (_local(nxt) == "mo" and not _is_word(nxt)) or _opens(nxt):
            continue
        row.insert(kids.index(top) + 1, _m("mspace", width=THIN_SPACE))


def _is_word(el: ET.Element) -> bool:
    """An operator or function name: softmax, max, log …"""
    word = (el.text or "").strip()
    return _local(el) in ("mo", "mi") and len(word) >= 2 and word.isalpha()


def _opens(el: ET.Element) -> bool:
    while _local(el) == "mrow" and len(el):
        el = el[0]
    return _local(el) == "mo" and (el.text or "").strip() in OPENING


# --------------------------------------------------------------------------- TeX to MathML


def to_mathml(tex: str, display: bool) -> ET.Element:
    """The ``<math>`` element for ``tex``; raises :class:`TexError` saying what cannot be translated."""
    problems = tex_problems(tex)
    if problems:
        raise TexError("; ".join(problems))
    try:
        root = ET.fromstring(convert(tex, display="block" if display else "inline"))
    except ET.ParseError as exc:  # latex2mathml writes a stray "&" as is
        raise TexError(
            "'&' outside an environment with columns (cases, matrix …)"
            if "&" in tex
            else f"the converter wrote malformed MathML ({exc})"
        ) from exc
    except Exception as exc:  # noqa: BLE001 - the converter raises many kinds; each is a bad formula
        raise TexError(f"the converter failed ({type(exc).__name__}{': ' + str(exc) if str(exc) else ''})") from exc
    # mtext keeps text-mode escapes such as \_ literally: read them as TeX does before judging
    for el in root.iter():
        if _local(el) == "mtext" and el.text:
            el.text = _TEXT_ESCAPE.sub(r"\1", el.text)
    problems = mathml_problems(root)
    if problems:
        raise TexError("; ".join(problems))
    repair(root)
    return root


def _row_items(root: ET.Element) -> list[ET.Element]:
    """The top-level items of a formula (latex2mathml wraps them in one <mrow>). A style switch
    such as ``\\textstyle`` wraps the rest of the formula in one <mstyle>: its items count as
    top-level too, each in a copy of the <mstyle>."""
    items = list(root)
    while len(items) == 1 and _local(items[0]) == "mrow":
        items = list(items[0])
    out = []
    for el in items:
        if _local(el) == "mstyle" and len(el) > 1:
            for child in el:
                wrap = _m("mstyle", **el.attrib)
                wrap.append(child)
                out.append(wrap)
        else:
            out.append(el)
    return out


SCRIPTED = ("msub", "msup", "msubsup", "munder", "mover", "munderover")


def _core(el: ET.Element) -> ET.Element:
    """The element that decides how an item breaks: inside the <mstyle> copies of ``_row_items``,
    and the base of a scripted item (``)_{\\text{AND}}`` closes a bracket, ``\\to_{k}`` relates)."""
    while (_local(el) == "mstyle" and len(el) == 1) or (_local(el) in SCRIPTED and len(el)):
        el = el[0]
    return el


def _operator(el: ET.Element) -> str:
    """The text of a top-level operator (``""`` for anything else)."""
    el = _core(el)
    return (el.text or "").strip() if _local(el) == "mo" and not len(el) else ""


def _is_relation(el: ET.Element) -> bool:
    text = _operator(el)
    return bool(text) and text[-1] in RELATIONS  # "−=" from \mathrel{-}= ends in one


def _set_form(el: ET.Element, form: str) -> None:
    _core(el).set("form", form)


def _space(el: ET.Element) -> float:
    """The width in em of an explicit space (``\\,`` ``\\;`` ``\\quad`` ``\\ `` …), else 0."""
    el = _core(el)
    if _local(el) == "mspace":
        m = re.fullmatch(r"([\d.]+)em", el.get("width", ""))
        return float(m[1]) if m else 0.0
    if _local(el) == "mtext" and el.text and not el.text.strip("\u00a0 "):
        return NBSP_EM * len(el.text)
    return 0.0


def _text(items: list[ET.Element]) -> str:
    return "".join(t for el in items for t in el.itertext()).strip()


def _is_text_connective(el: ET.Element) -> bool:
    """Words set apart inside a formula, as in ``\\text{ whenever }``: a line may break before."""
    el = _core(el)
    text = el.text or ""
    return _local(el) == "mtext" and text[:1].isspace() and bool(text.strip())


def _depth_step(el: ET.Element) -> int:
    """+1 for an opening bracket among the top-level items, −1 for a closing one."""
    op = _operator(el)
    return 1 if op in OPEN_BRACKETS else -1 if op in CLOSE_BRACKETS else 0


def _piece(items: list[ET.Element], display: bool) -> str:
    attrs = {"displaystyle": "true"} if display else {}
    math = _m("math", **attrs)
    row = ET.SubElement(math, f"{{{NS}}}mrow")
    row.extend(items)
    return ET.tostring(math, encoding="unicode")


def _terms(items: list[ET.Element]) -> list[list[ET.Element]]:
    """A piece's second-choice break points: before a binary + or −, before a relation inside
    brackets, after a comma."""
    terms: list[list[ET.Element]] = [[]]
    depth = 0
    for el in items:
        text = _operator(el)
        binary = text in SIGNS and _core(el).get("form") != "prefix"
        inner_relation = depth > 0 and _is_relation(el)
        if (binary or inner_relation) and terms[-1] and not _operator(terms[-1][-1]):
            _set_form(el, "infix")  # first in its term: keep the operator's space on both sides
            terms.append([])
        terms[-1].append(el)
        depth = max(0, depth + _depth_step(el))
        if text == ",":
            _set_form(el, "infix")  # last in its term: keep the comma's space after it
            terms.append([])
    return [t for t in terms if t]


def _display_piece(items: list[ET.Element]) -> str:
    terms = _terms(items)
    if len(terms) <= 1:
        return _piece(items, True)
    return '<span class="nn-math__piece">' + "".join(_piece(t, True) for t in terms) + "</span>"


def display_html(root: ET.Element) -> str:
    """A display formula: one <math>, or clauses (at wide spaces outside brackets) made of pieces
    (before relations outside brackets) made of terms (before + and −, after commas), nested in
    wrapping flex boxes, so that a line breaks at the coarsest level that makes it fit."""
    items = _row_items(root)
    clauses: list[dict] = [{"pieces": [[]], "gap": 0.0}]
    depth, i = 0, 0
    while i < len(items):
        pieces = clauses[-1]["pieces"]
        if depth == 0 and _space(items[i]):
            j = i
            while j < len(items) and _space(items[j]):
                j += 1
            run = sum(_space(el) for el in items[i:j])
            after_relation = pieces[-1] and all(_is_relation(x) or _space(x) for x in pieces[-1])
            if run >= CLAUSE_SPACE_EM and pieces[-1] and not after_relation and j < len(items):
                clauses[-1]["gap"] = run  # the space becomes the clauses' distance on one line
                clauses.append({"pieces": [[]], "gap": 0.0})
            else:
                pieces[-1].extend(items[i:j])
            i = j
            continue
        el = items[i]
        if depth == 0 and _is_text_connective(el) and pieces[-1]:
            clauses.append({"pieces": [[]], "gap": 0.0})  # "… \text{ whenever } …": break before it
            pieces = clauses[-1]["pieces"]
        if depth == 0 and _is_relation(el):
            short_lhs = len(pieces) == 1 and len(_text(pieces[0])) <= SHORT_LHS_CHARS
            if pieces[-1] and not all(_is_relation(p) for p in pieces[-1]) and not short_lhs:
                pieces.append([])
            _set_form(el, "infix")  # first in its piece: keep the relation's space on both sides
        pieces[-1].append(el)
        depth = max(0, depth + _depth_step(el))
        i += 1
    for clause in clauses:
        clause["pieces"] = [p for p in clause["pieces"] if p]
    clauses = [c for c in clauses if c["pieces"]]
    if sum(len(_terms(p)) for c in clauses for p in c["pieces"]) <= 1:
        return f'<div class="nn-math">{ET.tostring(root, encoding="unicode")}</div>'
    inner = "".join(
        '<span class="nn-math__clause"'
        + (f' style="margin-inline-end: {c["gap"]:.3g}em"' if c["gap"] and k < len(clauses) - 1 else "")
        + ">"
        + "".join(_display_piece(p) for p in c["pieces"])
        + "</span>"
        for k, c in enumerate(clauses)
    )
    return f'<div class="nn-math nn-math--split">{inner}</div>'


def inline_html(root: ET.Element) -> str:
    """An inline formula; a long one may break after its relations, commas and quad gaps."""
    if len("".join(root.itertext())) < INLINE_SPLIT_MIN_CHARS:
        return ET.tostring(root, encoding="unicode")
    pieces: list[list[ET.Element]] = [[]]
    for el in _row_items(root):
        if _space(el) and not pieces[-1] and len(pieces) > 1:
            pieces[-2].append(el)  # "a,\ b": the space stays behind the comma it follows
            continue
        pieces[-1].append(el)
        only_space = all(_space(x) for x in pieces[-1])  # a leading gap is no place to break
        if not only_space and (_is_relation(el) or _operator(el) == "," or _space(el) >= CLAUSE_SPACE_EM):
            if _operator(el):
                _set_form(el, "infix")  # last in its piece: keep its space after it
            pieces.append([])
    pieces = [p for p in pieces if p]
    if len(pieces) <= 1:
        return ET.tostring(root, encoding="unicode")
    return "<wbr>".join(_piece(p, False) for p in pieces)


# --------------------------------------------------------------------------- the hook

_INLINE = re.compile(r'<span class="arithmatex">\\\((.+?)\\\)</span>', re.S)
_BLOCK = re.compile(r'<div class="arithmatex">\\\[(.+?)\\\]</div>', re.S)
_failures: list[str] = []


def render(tex: str, display: bool) -> str:
    """HTML for one formula (``tex`` as arithmatex wrote it, HTML-escaped); raises TexError."""
    root = to_mathml(html.unescape(tex).strip(), display)
    return display_html(root) if display else inline_html(root)


def on_pre_build(config):
    _failures.clear()


@event_priority(-50)  # after mkdocstrings has put the API docs into the page
def on_page_content(content: str, page, config, files):
    where = page.file.src_uri

    def sub(display: bool):
        def one(m: re.Match) -> str:
            try:
                return render(m.group(1), display)
            except TexError as exc:
                tex = html.unescape(m.group(1)).strip()
                _failures.append(f"{where}: {'$$' if display else '$'}{tex}{'$$' if display else '$'}\n    {exc}")
                return f'<code class="nn-math-error">{html.escape(tex)}</code>'

        return one

    content = _BLOCK.sub(sub(True), content)
    return _INLINE.sub(sub(False), content)


def on_post_build(config):
    if _failures:
        raise PluginError(
            f"{len(_failures)} formula(s) cannot be translated to MathML; fix the TeX:\n" + "\n".join(_failures)
        )
