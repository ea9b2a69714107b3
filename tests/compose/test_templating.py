import pytest
from markupsafe import Markup

from cluster_reports.compose import templating


def render(templates, source, lang="id", **context):
    return templating.environment(templates, lang).from_string(source).render(context)


def test_user_text_is_escaped_not_executed(templates):
    out = render(templates, "{{ name }}", name="{{ 7*7 }} <b>x</b> *y*")
    assert "49" not in out
    assert out == r"\{\{ 7\*7 \}\} \<b\>x\</b\> \*y\*"


def test_none_and_nan_are_errors_not_words(templates):
    with pytest.raises(templating.TemplateOutputError, match="None"):
        render(templates, "{{ x }}", x=None)
    with pytest.raises(templating.TemplateOutputError, match="NaN"):
        render(templates, "{{ x }}", x=float("nan"))


def test_undefined_is_an_error(templates):
    with pytest.raises(Exception, match="missing"):
        render(templates, "{{ missing }}")


def test_formatting_filters_follow_the_language(templates):
    source = "{{ 1500000|rp }} / {{ 65.6|pct }} / {{ 1234567|num }}"
    assert render(templates, source, "id", ) .replace("\\", "") == "Rp 1.500.000 / 65,6% / 1.234.567"
    assert render(templates, source, "en").replace("\\", "") == "Rp 1,500,000 / 65.6% / 1,234,567"


def test_trusted_markup_passes(templates):
    assert render(templates, "{{ x }}", x=Markup("**b**")) == "**b**"


def test_capfirst_raises_only_the_first_letter(templates):
    # User text keeps its case: brands and acronyms after the first letter stay as written.
    out = render(templates, "{{ a|capfirst }} / {{ b|capfirst }} / {{ c|capfirst }} / {{ d|capfirst }}",
                 "en", a="genteng Sokka", b="LWG meetings held", c="“sokka” tiles", d="5S workshops")
    assert out == "Genteng Sokka / LWG meetings held / “Sokka” tiles / 5S workshops"
    assert render(templates, "{{ x|capfirst }}", x=Markup("**b**")) == "**B**"
    assert render(templates, "{{ x|capfirst }}", x="") == ""
