"""The site's TeX → MathML conversion (docs/hooks/texmath.py): strict, and right in a browser.

Strict: TeX the converter would silently mistranslate fails the build, naming the page and the
formula. Right: what Chromium would show wrongly (``mathvariant``, ``\\mathrel``, operator names)
is repaired, and long formulas get the break points a phone needs.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from html import unescape
from types import SimpleNamespace

import pytest

from tests.claims import ROOT

sys.path.insert(0, str(ROOT / "docs" / "hooks"))
import texmath  # noqa: E402  (the MkDocs hook, a plain module)

sys.path.pop(0)


def mathml(tex: str, display: bool = False) -> str:
    return ET.tostring(texmath.to_mathml(tex, display), encoding="unicode")


def tokens(xml: str, tag: str) -> list[str]:
    return re.findall(rf"<{tag}\b[^>]*>([^<]*)</{tag}>", xml)


# --------------------------------------------------------------------------- strict


@pytest.mark.parametrize(
    ("tex", "says"),
    [
        (r"\begin{cases} 1 & x > 0 \\[4pt] 0 & x \le 0 \end{cases}", r"\\[length]"),
        (r"\foo x", r"'\foo' is not a command"),
        (r"\label{eq} x", r"'\label' is not a command"),
        (r"\begin{aligned} a &= b \end{aligned}", "environment 'aligned' is not supported"),
        (r"x_{1", "unbalanced braces"),
        (r"a} + b", "unbalanced braces"),
        (r"a & b", "'&' outside an environment with columns"),
        (r"a \\ b", r"'\\' outside an environment with rows"),
        (r"\boxed{x}", "<menclose>"),
        (r"x^", "the converter failed"),
    ],
)
def test_untranslatable_tex_is_an_error(tex, says):
    """Each of these would reach the page as raw text, a silent omission or invisible MathML."""
    with pytest.raises(texmath.TexError) as err:
        texmath.render(tex, display=True)
    assert says in str(err.value)


def test_a_bad_formula_fails_the_build_naming_page_and_formula():
    """The hook reports every bad formula of the build, then fails it (not just a warning)."""
    page = SimpleNamespace(file=SimpleNamespace(src_uri="ch5-backprop.md"))
    content = (
        r'<p>ok <span class="arithmatex">\(x^2\)</span></p>'
        r'<div class="arithmatex">\[ 1 \\[4pt] 0 \]</div>'
    )
    texmath.on_pre_build(config=None)
    out = texmath.on_page_content(content, page=page, config=None, files=None)
    assert "<math" in out and "nn-math-error" in out
    with pytest.raises(texmath.PluginError) as err:
        texmath.on_post_build(config=None)
    assert "ch5-backprop.md" in str(err.value) and r"1 \\[4pt] 0" in str(err.value)
    texmath.on_pre_build(config=None)
    texmath.on_post_build(config=None)  # a new build starts clean


# --------------------------------------------------------------------------- repairs


@pytest.mark.parametrize(
    ("text", "variant", "expected"),
    [
        ("1", "bold", "𝟏"),
        ("x1", "bold", "𝐱𝟏"),
        ("R", "double-struck", "ℝ"),  # from the letterlike block, not the mathematical one
        ("h", "italic", "ℎ"),
        ("C", "fraktur", "ℭ"),
        ("α", "bold-italic", "𝜶"),
        ("T", "sans-serif", "𝖳"),
        ("+", "bold", "+"),  # no bold plus in Unicode: left alone
    ],
    ids=lambda v: v if v.isascii() else "U+" + "+".join(f"{ord(c):04X}" for c in v),
)
def test_styled_letters_are_unicode_mathematical_alphanumerics(text, variant, expected):
    assert texmath.styled(text, variant) == expected


def test_the_ones_vector_is_a_bold_one_not_a_mathvariant():
    """Chromium ignores mathvariant: \\mathbf{1} must be U+1D7CF itself to read as the ones vector."""
    xml = mathml(r"\operatorname{softmax}(x + c\mathbf{1})")
    assert "𝟏" in tokens(xml, "mn")
    assert "mathvariant" not in xml


def test_text_mode_escapes_become_their_characters():
    assert tokens(mathml(r"\text{batch\_size} = 100\,\%"), "mtext") == ["batch_size"]


def test_mathrel_is_one_relation():
    """\\mathrel{-}= is "−=", not an <mo> holding a row (which Chromium draws as "− =")."""
    xml = mathml(r"W \mathrel{-}= \eta\, dW")
    assert "−=" in tokens(xml, "mo")
    assert not re.search(r"<mo[^>]*><mrow", xml)


def test_operator_names_sit_like_function_names():
    """softmax(x) with no gap before the parenthesis; log x with TeX's thin space."""
    xml = mathml(r"\operatorname{softmax}(x) = \log x")
    assert re.search(r"<mi>softmax</mi><mo[^>]*>\(</mo>", xml)
    assert re.search(rf'<mi>log</mi><mspace width="{texmath.THIN_SPACE}" /><mi>x</mi>', xml)
    xml = mathml(r"\operatorname{argmax} \operatorname{softmax}(x)")
    assert re.search(rf'<mi>argmax</mi><mspace width="{texmath.THIN_SPACE}" /><mi>softmax</mi><mo', xml)


def test_bars_are_ordinary_symbols():
    """|x| ≤ 36 with no relation space inside the bars; \\left| … \\right| stays a fence."""
    xml = mathml(r"|x| \le 36, \left| y \right|")
    assert len(re.findall(r'<mo[^>]*lspace="0" rspace="0"[^>]*>\|</mo>', xml)) == 2
    assert len(re.findall(r'<mo[^>]*fence="true"[^>]*>\|</mo>', xml)) == 2


def test_a_sign_after_a_relation_is_unary():
    """b = −0.7 keeps its minus next to the number; a − b keeps the binary spaces."""
    xml = mathml(r"b = -0.7, \quad a - b")
    assert re.search(r'<mo form="prefix">−</mo><mn>0.7</mn>', xml)
    assert re.search(r"<mi>a</mi><mo>−</mo><mi>b</mi>", xml)


# --------------------------------------------------------------------------- phones


def pieces(html: str) -> list[str]:
    """The text of each <math> piece of a rendered formula."""
    return [unescape(re.sub(r"<[^>]+>", "", m)) for m in re.findall(r"<math\b.*?</math>", html)]


def clauses(html: str) -> list[str]:
    """The text of each clause of a split display formula."""
    div = ET.fromstring(html)
    return ["".join(m.itertext()) for m in div if m.get("class") == "nn-math__clause"]


def test_a_display_formula_may_break_before_each_relation():
    html = texmath.render(r"\frac{a + b}{c} = d \le e", display=True)
    assert "nn-math--split" in html
    assert pieces(html) == ["a+bc", "=d", "≤e"]


def test_a_short_left_hand_side_stays_with_its_relation():
    """ "W =" never ends a line alone: a short left side opens the first piece."""
    html = texmath.render(r"W = \begin{pmatrix} 1 & 2 \end{pmatrix} \le e", display=True)
    assert pieces(html) == ["W=(12)", "≤e"]


def test_a_piece_too_wide_may_break_before_plus_and_minus_and_after_commas():
    """Second choice, nested inside the relation's piece: the piece wraps only if it must."""
    html = texmath.render(r"f(x) = a - b + (c, d) \le -e", display=True)
    assert pieces(html) == ["f(x)", "=a", "−b", "+(c,", "d)", "≤−e"]
    piece = re.search(r'<span class="nn-math__piece">(.*?)</span>', html).group(1)
    assert pieces(piece) == ["=a", "−b", "+(c,", "d)"]
    assert '<mo form="infix">−</mo><mi>b</mi>' in html  # binary, spaced as such


def test_wide_spaces_separate_clauses_of_a_display_formula():
    """At \\qquad or \\; outside brackets; the space becomes the distance between the clauses."""
    html = texmath.render(r"w = 0.5, \qquad b = -0.7", display=True)
    assert html.count('class="nn-math__clause"') == 2
    assert 'style="margin-inline-end: 2em"' in html
    assert clauses(html) == ["w=0.5,", "b=−0.7"]


def test_a_list_of_conditions_breaks_between_conditions():
    """Chapter 2's XOR contradiction: never inside "w₂ + b > 0", nor inside (a, b)."""
    tex = r"\nexists\, w_1, w_2, b \in \mathbb{R}:\quad b \le 0,\;\; w_1 + b > 0,\;\; (w_2, b) \ne 0"
    html = texmath.render(tex, display=True)
    assert clauses(html) == ["∄w1,w2,b∈ℝ:", "b≤0,", "w1+b>0,", "(w2,b)≠0"]


def test_a_formula_without_break_points_stays_one_block():
    html = texmath.render(r"\sum_{k=1}^{n} x_k", display=True)
    assert "nn-math--split" not in html
    assert html.count("<math") == 1 and 'display="block"' in html


def test_a_long_inline_formula_may_break_after_commas_and_relations():
    """The tuple that made chapter 3 scroll sideways on a phone."""
    tex = r"(9.99954600 \times 10^{-1},\ 4.53978686 \times 10^{-5},\ 2.06106005 \times 10^{-9})"
    html = texmath.render(tex, display=False)
    assert html.count("<wbr>") == 2
    assert pieces(html)[0] == "(9.99954600×10−1,\xa0"  # the space stays behind its comma


def test_a_leading_gap_does_not_make_an_empty_piece():
    """A gap in front of a formula is no break point (an empty <math> would have no height)."""
    tex = r"\;\partial L/\partial x = -\partial L/\partial y \cdot 1/x^2 = -\partial L/\partial y \cdot y^2"
    html = texmath.render(tex, display=False)
    assert html.count("<wbr>") == 2 and all(p.strip() for p in pieces(html)), pieces(html)


def test_a_short_inline_formula_is_left_whole():
    assert "<wbr>" not in texmath.render("x = 1, y = 2", display=False)


def test_a_style_switch_does_not_hide_break_points():
    """\\textstyle wraps the rest of the formula in one <mstyle>; \\mathrel{-}= is a relation."""
    html = texmath.render(r"W \mathrel{-}= X, \quad b \mathrel{-}= \textstyle\sum_n D, \quad D = \eta", display=True)
    assert clauses(html) == ["W−=X,", "b−=∑nD,", "D=η"]
    assert html.count('<mstyle displaystyle="false"') >= 2  # the style kept on each item


def test_a_relation_set_apart_and_a_text_connective_start_a_clause():
    """Chapter 2's "… \\;⇒\\; NAND(x) = 1 − AND(x) \\text{ whenever } … ≠ 0": the arrow begins a
    clause (it is not left alone at a line's end), and so do the words."""
    tex = (
        r"(w, b)_{N} = -(w, b)_{A} \;\Rightarrow\; \operatorname{NAND}(x) = 1 - \operatorname{AND}(x)"
        r" \text{ whenever } w \cdot x + b \ne 0"
    )
    html = texmath.render(tex, display=True)
    assert clauses(html) == ["(w,b)N=−(w,b)A", "⇒NAND(x)=1−AND(x)", "\xa0whenever\xa0w·x+b≠0"]
