import pytest

from cluster_reports.compose import tree as d
from cluster_reports.compose.markdown import MarkdownError, escape, parse

NASTY = 'Sentra <b>"A&B"</b> {{ 7*7 }} {% if x %} | *bold* [link](http://x) {#id} \\ `code`'


def test_escaped_text_comes_back_literally():
    nodes = parse(f"::: block b\n{escape(NASTY)}\n:::\n")
    assert isinstance(nodes[0], d.Block)
    assert d.plain(nodes[0].children[0].runs) == " ".join(NASTY.split())


def test_escaped_text_in_a_table_cell_keeps_its_pipe():
    nodes = parse(f"::: table t\nCaption\n\n| a | b |\n| --- | --: |\n| {escape('x | y')} | 2 |\n:::\n")
    table = nodes[0]
    assert isinstance(table, d.Table)
    assert [d.plain(c) for c in table.rows[0]] == ["x | y", "2"]
    assert table.align == [None, "right"]


def test_structures():
    source = """::: cover
# Title

Line one
:::

::: toc
:::

{#sec-a}
## Heading A

::: block intro
First *para*.

- one
- two **bold**
:::

::: figure fig-a
Caption of figure

![alt words](chart:sizes)
:::

::: note illustrative
A note.
:::
"""
    cover, toc, heading, block, figure, note = parse(source)
    assert isinstance(cover, d.Cover) and d.plain(cover.title) == "Title"
    assert isinstance(toc, d.Toc)
    assert (heading.level, heading.id, d.plain(heading.runs)) == (2, "sec-a", "Heading A")
    assert block.id == "intro" and isinstance(block.children[1], d.BulletList)
    assert [d.plain(i) for i in block.children[1].items] == ["one", "two bold"]
    assert block.children[0].runs[1] == d.Run("para", italic=True)
    assert (figure.id, figure.chart, figure.alt) == ("fig-a", "sizes", "alt words")
    assert isinstance(note, d.Note) and note.kind == "illustrative"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("::: block\ntext\n:::\n", "needs an id"),
        ("::: sidebar x\ntext\n:::\n", "unknown container"),
        ("| a |\n| - |\n| 1 |\n", "must sit in a '::: table ID'"),
        ("::: block a\nx\n:::\n\n::: block a\ny\n:::\n", "used twice"),
        ("::: figure f\nCap\n\n![x](http://example.org/a.png)\n:::\n", "chart:NAME"),
    ],
)
def test_errors_name_the_problem(source, message):
    with pytest.raises(MarkdownError, match=message):
        parse(source)
