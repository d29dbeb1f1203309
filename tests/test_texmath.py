"""The site's TeX → MathML conversion (docs/hooks/texmath.py): strict, and right in a browser.

Strict: TeX the converter would silently mistranslate fails the build, naming the page and the
formula. Right: what Chromium would show wrongly (``mathvariant``, ``\\mathrel``, operator names)
is repaired, and long formulas get the break points a phone needs.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
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


def test_a_sign_after_a_relation_is_unary():
    """b = −0.7 keeps its minus next to the number; a − b keeps the binary spaces."""
    xml = mathml(r"b = -0.7, \quad a - b")
    assert re.search(r'<mo form="prefix">−</mo><mn>0.7</mn>', xml)
    assert re.search(r"<mi>a</mi><mo>−</mo><mi>b</mi>", xml)


# --------------------------------------------------------------------------- phones


def pieces(html: str) -> list[str]:
    """The text of each <math> piece of a rendered formula."""
    return [re.sub(r"<[^>]+>", "", m) for m in re.findall(r"<math\b.*?</math>", html)]


def test_a_display_formula_may_break_before_each_relation():
    html = texmath.render(r"\frac{a}{b} = c + d \le e", display=True)
    assert "nn-math--split" in html
    assert pieces(html) == ["ab", "=c+d", "≤e"]


def test_quad_gaps_separate_clauses_of_a_display_formula():
    html = texmath.render(r"w = (0.5, 0.5), \qquad b = -0.7", display=True)
    assert html.count('class="nn-math__clause"') == 2
    assert "column-gap: 2em" in html
    assert pieces(html) == ["w", "=(0.5,0.5),", "b", "=−0.7"]


def test_a_formula_without_break_points_stays_one_block():
    html = texmath.render(r"\sum_{k=1}^{n} x_k", display=True)
    assert "nn-math--split" not in html
    assert html.count("<math") == 1 and 'display="block"' in html


def test_a_long_inline_formula_may_break_after_commas_and_relations():
    """The tuple that made chapter 3 scroll sideways on a phone."""
    tex = r"(9.99954600 \times 10^{-1},\ 4.53978686 \times 10^{-5},\ 2.06106005 \times 10^{-9})"
    html = texmath.render(tex, display=False)
    assert html.count("<wbr>") == 2
    assert pieces(html)[0].endswith(",")


def test_a_short_inline_formula_is_left_whole():
    assert "<wbr>" not in texmath.render("x = 1, y = 2", display=False)
