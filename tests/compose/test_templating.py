import pytest
from markupsafe import Markup

from cluster_reports.compose import templating
from cluster_reports.documents.markdown_text import FSI, PDF, PDI, MarkdownText


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
    assert render(templates, "{{ x }}", x=MarkdownText("**b**")) == "**b**"


def test_html_markup_is_not_markdown(templates):
    # markupsafe's Markup is HTML-escaped text: "#" and "*" would pass it as Markdown
    with pytest.raises(templating.TemplateOutputError, match="MarkdownText"):
        render(templates, "{{ x }}", x=Markup("# b"))


NOTE = "[l](http://x) # h\n::: block x\n<b>"
ESCAPED = r"\[l\]\(http\:\/\/x\) \# h \:\:\: block x \<b\>".replace("\\/", "/")


def test_text_joined_to_markup_is_escaped_as_markdown(templates):
    """``~``, ``+``, ``join``, ``replace`` and macros with markup escape the text as Markdown (Jinja's
    would escape it as HTML, leaving links, headings and fences): the monitoring note's way in."""
    strong = '{% macro strong(t) %}**{{ t }}**{% endmacro %}'
    assert render(templates, strong + '{{ strong("a") ~ ": " ~ note }}', note=NOTE) == "**a**\\: " + ESCAPED
    assert render(templates, strong + '{{ strong("a") + note }}', note=NOTE) == "**a**" + ESCAPED
    assert render(templates, strong + '{{ [strong("a"), note]|join(", ") }}', note=NOTE) == \
        "**a**, " + ESCAPED
    assert render(templates, strong + '{{ strong(note) }}', note=NOTE) == f"**{ESCAPED}**"
    assert render(templates, '{% set x %}*{{ note }}*{% endset %}{{ x }}', note=NOTE) == f"*{ESCAPED}*"
    assert render(templates, '{{ note|e }}', note=NOTE) == ESCAPED
    assert render(templates, '{{ "<b>" }}') == r"\<b\>"  # a constant too


def test_controls_go_and_bidirectional_controls_are_isolated(templates):
    out = render(templates, "{{ x }} after", x="a\x00\x1b\x85b \u202eevil\u2069")
    assert out == f"{FSI}ab \u202eevil{PDF}{PDI} after"


def test_capfirst_raises_only_the_first_letter(templates):
    # User text keeps its case: brands and acronyms after the first letter stay as written.
    out = render(templates, "{{ a|capfirst }} / {{ b|capfirst }} / {{ c|capfirst }} / {{ d|capfirst }}",
                 "en", a="genteng Sokka", b="LWG meetings held", c="“sokka” tiles", d="5S workshops")
    assert out == "Genteng Sokka / LWG meetings held / “Sokka” tiles / 5S workshops"
    assert render(templates, "{{ x|capfirst }}", x=MarkdownText("**b**")) == "**B**"
    assert render(templates, "{{ x|capfirst }}", x="") == ""
