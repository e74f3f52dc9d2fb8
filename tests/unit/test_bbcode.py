"""Task descriptions in BBCode become styled text; portal text never becomes markup."""

from __future__ import annotations

import random
import time

import pytest
from rich.style import Style
from rich.text import Text

from b24tui.bbcode import (
    MAX_DEPTH,
    BBCodeStyles,
    TimeSlices,
    decode_entities,
    mentioned_user_ids,
    part_ranges,
    render_bbcode,
    split_parts,
)

STYLES = BBCodeStyles()


def style_over(text: Text, part: str) -> Style:
    """The combined style of every span covering all of the first occurrence of ``part``."""
    start = text.plain.index(part)
    end = start + len(part)
    covering = [span.style for span in text.spans if span.start <= start and span.end >= end]
    return Style.combine(Style.parse(s) if isinstance(s, str) else s for s in covering)


def unstyled(text: Text, part: str) -> bool:
    """Whether no span touches the first occurrence of ``part``."""
    start = text.plain.index(part)
    end = start + len(part)
    return not any(span.start < end and span.end > start for span in text.spans)


# --------------------------------------------------------------------------- inline tags


@pytest.mark.parametrize(
    ("tag", "attribute"),
    [("B", "bold"), ("I", "italic"), ("U", "underline"), ("S", "strike")],
)
def test_inline_tags_style_their_text_only(tag: str, attribute: str) -> None:
    text = render_bbcode(f"before [{tag}]inside[/{tag}] after")
    assert text.plain == "before inside after"
    assert getattr(style_over(text, "inside"), attribute) is True
    assert unstyled(text, "before")
    assert unstyled(text, "after")


def test_tags_are_case_insensitive_and_nest() -> None:
    text = render_bbcode("[b]bold [i]both[/I][/B] [u]under[/U]")
    assert text.plain == "bold both under"
    both = style_over(text, "both")
    assert both.bold
    assert both.italic
    assert style_over(text, "bold").italic is not True
    assert style_over(text, "under").underline


# --------------------------------------------------------------------------- links, users


def test_url_with_a_label_links_to_the_href() -> None:
    text = render_bbcode("See [URL=https://example.com/a?b=1&amp;c=2]the board[/URL].")
    assert text.plain == "See the board."
    style = style_over(text, "the board")
    assert style.underline
    assert style.link == "https://example.com/a?b=1&c=2"


def test_bare_url_shows_and_links_the_address() -> None:
    text = render_bbcode("[url]http://example.org/x[/url]")
    assert text.plain == "http://example.org/x"
    assert style_over(text, "http://example.org/x").link == "http://example.org/x"


@pytest.mark.parametrize(
    "href",
    ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "ftp://example.org"],
)
def test_only_web_addresses_become_terminal_links(href: str) -> None:
    text = render_bbcode(f"[URL={href}]click[/URL]")
    assert text.plain == "click"
    style = style_over(text, "click")
    assert style.underline
    assert style.link is None


def test_url_without_a_label_shows_the_address_and_quotes_are_dropped() -> None:
    text = render_bbcode('[URL="https://example.com"][/URL]')
    assert text.plain == "https://example.com"
    assert style_over(text, "https://example.com").link == "https://example.com"


def test_user_mention_uses_the_known_name_or_the_tag_text() -> None:
    source = "Ask [USER=5]Greg[/USER] and [USER=9]Kenji W.[/USER]"
    assert render_bbcode(source).plain == "Ask @Greg and @Kenji W."
    named = render_bbcode(source, users={5: "Gregory Scott"})
    assert named.plain == "Ask @Gregory Scott and @Kenji W."
    assert style_over(named, "@Gregory Scott") == STYLES.mention


def test_user_mention_without_a_name_still_says_who() -> None:
    assert render_bbcode("[USER=7][/USER]").plain == "@user 7"


# --------------------------------------------------------------------------- blocks


def test_bulleted_list_puts_each_item_on_its_line() -> None:
    source = (
        "Goal:\n[LIST]\n[*]Hero block\n[*]Pricing [B]table[/B]\n[*]FAQ\n[/LIST]\nMock-ups next."
    )
    text = render_bbcode(source)
    assert text.plain == "Goal:\n• Hero block\n• Pricing table\n• FAQ\nMock-ups next."
    assert style_over(text, "table").bold


def test_numbered_list_counts_and_blocks_break_lines() -> None:
    text = render_bbcode("Steps:[LIST=1][*]Open[*]Press[/LIST]Done")
    assert text.plain == "Steps:\n1. Open\n2. Press\nDone"


def test_nested_list_is_indented_under_its_item() -> None:
    text = render_bbcode("[LIST][*]one[LIST=1][*]a[*]b[/LIST][*]two[/LIST]")
    assert text.plain == "• one\n  1. a\n  2. b\n• two"


def test_quote_lines_get_a_bar_and_the_quote_style() -> None:
    text = render_bbcode("Said:\n[QUOTE]The export hangs.\nAt 99 %.[/QUOTE]\nThen more.")
    assert text.plain == "Said:\n│ The export hangs.\n│ At 99 %.\nThen more."
    quoted = style_over(text, "│ At 99 %.")
    assert quoted.dim
    assert quoted.italic
    assert unstyled(text, "Then more.")


def test_named_quote_says_who_wrote_it_and_quotes_nest() -> None:
    text = render_bbcode("[QUOTE=Zoë]outer[QUOTE]inner[/QUOTE][/QUOTE]")
    assert text.plain == "│ Zoë wrote:\n│ outer\n│ │ inner"


def test_code_is_a_styled_block_without_tag_processing() -> None:
    source = "Run:[CODE]SELECT [B]ID[/B]\nFROM t; [URL=x]y[/URL][/code]then check."
    text = render_bbcode(source)
    assert text.plain == "Run:\n  SELECT [B]ID[/B]\n  FROM t; [URL=x]y[/URL]\nthen check."
    assert style_over(text, "SELECT [B]ID[/B]") == STYLES.code
    assert not any(span.style == STYLES.bold for span in text.spans)


def test_code_takes_the_first_closing_tag() -> None:
    text = render_bbcode("[CODE]a [CODE] b[/CODE] c[/CODE]")
    assert text.plain == "  a [CODE] b\n c[/CODE]"


# --------------------------------------------------------------------------- broken input


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("[B]never closed", "[B]never closed"),
        ("stray [/I] closing", "stray [/I] closing"),
        ("[LIST][*]a[*]b", "[LIST][*]a[*]b"),
        ("[*] outside a list", "[*] outside a list"),
        ("[URL=https://x.example]open link", "[URL=https://x.example]open link"),
        ("[QUOTE]unfinished", "[QUOTE]unfinished"),
        ("[CODE]no end [B]but tags after[/B]", "[CODE]no end but tags after"),
        ("[COLOR=#f00]red[/COLOR] words", "red words"),
        ("[TABLE][TR][TD]x[/TD][/TR][/TABLE]", "[TABLE][TR][TD]x[/TD][/TR][/TABLE]"),
        ("[IMG]https://x.example/a.png[/IMG]", "[IMG]https://x.example/a.png[/IMG]"),
        ("[DISK FILE ID=n42]", "[DISK FILE ID=n42]"),
        ("[/B=x] [B", "[/B=x] [B"),
        ("[]", "[]"),
        ("[", "["),
        ("]", "]"),
    ],
)
def test_unknown_unbalanced_and_unclosed_tags_are_shown_as_typed(source: str, shown: str) -> None:
    assert render_bbcode(source).plain == shown


def test_an_unclosed_tag_keeps_its_text_styled_where_the_inner_tags_are_closed() -> None:
    text = render_bbcode("[U]open [B]bold[/B] end")
    assert text.plain == "[U]open bold end"
    assert style_over(text, "bold").bold


def test_crossing_tags_lose_nothing() -> None:
    text = render_bbcode("[B]a[I]b[/B]c[/I]")
    assert text.plain == "a[I]bc[/I]"
    assert style_over(text, "a[I]b").bold
    assert unstyled(text, "c[/I]")


def test_rich_markup_and_emoji_codes_in_portal_text_are_literal() -> None:
    source = "[bold]not bold[/bold] [link=https://x.example]y[/link] [/] :smile: [red]r[/red]"
    text = render_bbcode(source)
    assert text.plain == source
    assert text.spans == []


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("an escape \x1b[2J that must not clear", "an escape  that must not clear"),
        ("\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("title\x1b]0;pwned\x07 here", "title here"),
        ("bell\x07 nul\x00", "bell nul"),
        ("encoded &#27;[31mred&#x1b;[0m", "encoded red"),
        ("[B]bo\x1b[31mld[/B]", "bold"),
        ("[URL=https://x.example/\x1b[2J]l[/URL]", "l"),
        ("tab\tand\r\nnewline", "tab\tand\nnewline"),
    ],
)
def test_control_sequences_are_stripped_even_when_encoded(source: str, shown: str) -> None:
    text = render_bbcode(source)
    assert text.plain == shown
    for span in text.spans:
        style = span.style if isinstance(span.style, Style) else Style.parse(span.style)
        assert style.link is None or "\x1b" not in style.link


def test_html_entities_are_decoded_once_and_never_become_tags() -> None:
    source = "&quot;a&quot; &amp; b &lt;c&gt; it&#39;s &amp;lt; &#91;B&#93;x&#91;/B&#93;"
    text = render_bbcode(source)
    assert text.plain == '"a" & b <c> it\'s &lt; [B]x[/B]'
    assert text.spans == []


def test_decode_entities_leaves_unknown_and_impossible_ones() -> None:
    assert decode_entities("&copy; &#0; &#xD800; &#1114112; &bogus;") == (
        "&copy; &#0; &#xD800; &#1114112; &bogus;"
    )


# --------------------------------------------------------------------------- hostile scale


def test_deep_nesting_is_capped_and_keeps_every_character() -> None:
    depth = 5000
    text = render_bbcode("[B]" * depth + "core" + "[/B]" * depth)
    assert "core" in text.plain
    assert style_over(text, "core").bold
    # Levels past the cap are shown as typed; all the tags are accounted for.
    assert text.plain.count("[B]") == depth - MAX_DEPTH
    assert text.plain.count("[/B]") == depth - MAX_DEPTH


def test_deeply_nested_quotes_and_lists_do_not_overflow() -> None:
    quotes = render_bbcode("[QUOTE]" * 3000 + "deep" + "[/QUOTE]" * 3000)
    assert "deep" in quotes.plain
    assert "│ " * MAX_DEPTH in quotes.plain
    lists = render_bbcode("[LIST][*]" * 3000 + "x")
    assert lists.plain.endswith("x")


def test_random_tag_soup_never_crashes_and_keeps_every_word() -> None:
    rng = random.Random(7)
    pieces = [
        "[B]", "[/B]", "[i]", "[/I]", "[LIST]", "[LIST=1]", "[/LIST]", "[*]", "[/*]",
        "[QUOTE]", "[QUOTE=a]", "[/QUOTE]", "[CODE]", "[/CODE]", "[URL=https://e.x]",
        "[URL]", "[/URL]", "[USER=3]", "[/USER]", "[bold]", "[/]", "[", "]", "=", "\n",
        "&amp;", "&#39;", " ",
    ]  # fmt: skip
    for _ in range(300):
        words = [f"w{n}" for n in range(rng.randrange(1, 8))]
        parts = [rng.choice(pieces) for _ in range(rng.randrange(0, 30))]
        for word in words:
            parts.insert(rng.randrange(len(parts) + 1), f" {word} ")
        text = render_bbcode("".join(parts))
        for word in words:
            assert word in text.plain


def test_a_100_kb_description_renders_well_under_a_second() -> None:
    paragraph = (
        "[B]Goal:[/B] ship [I]it[/I]. [URL=https://example.com/x]board[/URL] "
        "[USER=5]Greg[/USER]\n[LIST][*]one[*]two [S]old[/S][/LIST]\n"
        "[QUOTE]said [U]this[/U][/QUOTE]\n[CODE]x = [B]1[/B][/CODE]\n"
        "[unknown]plain &amp; [text] &quot;q&quot;\n"
    )
    source = paragraph * (100_000 // len(paragraph) + 1)
    assert len(source) >= 100_000
    started = time.perf_counter()
    text = render_bbcode(source)
    elapsed = time.perf_counter() - started
    assert text.plain.count("• two old") == source.count("[LIST]")
    assert elapsed < 1.0


def test_empty_description_is_empty_text() -> None:
    assert render_bbcode("").plain == ""
    assert render_bbcode("   \n").plain == "   \n"


def test_styles_can_be_replaced() -> None:
    mine = BBCodeStyles(link=Style(color="red"), mention=Style(color="green"))
    text = render_bbcode("[URL=https://a.example]a[/URL] [USER=1]b[/USER]", styles=mine)
    assert style_over(text, "a").color == Style(color="red").color
    assert style_over(text, "@b") == Style(color="green")


def test_mentioned_user_ids_are_found_for_the_name_lookup() -> None:
    source = "[USER=5]a[/USER] [user= 12 ]b[/user] [USER=x]c[/USER] [USER=5]again[/USER]"
    assert mentioned_user_ids(source) == {5, 12}
    assert mentioned_user_ids("no mentions [U]here[/U]") == frozenset()


# --------------------------------------------------------------------------- parts


def test_parts_end_at_line_breaks_within_both_limits() -> None:
    plain = "a\nbb\nccc\ndddd"
    assert part_ranges(plain, max_chars=100, max_lines=2) == [(0, 4), (5, 13)]
    assert [plain[a:b] for a, b in part_ranges(plain, max_chars=5, max_lines=9)] == [
        "a\nbb",
        "ccc",
        "dddd",
    ]


def test_text_within_the_limits_is_one_part() -> None:
    assert part_ranges("", max_chars=10, max_lines=1) == [(0, 0)]
    assert part_ranges("one\ntwo", max_chars=10, max_lines=2) == [(0, 7)]
    text = Text("short")
    assert split_parts(text, max_chars=10, max_lines=2) == [text]


def test_a_line_longer_than_a_part_is_cut_at_a_space_or_at_the_limit() -> None:
    parts = split_parts(Text("one two three four"), max_chars=8, max_lines=9)
    assert [part.plain for part in parts] == ["one two", "three", "four"]
    parts = split_parts(Text("abcdefghij"), max_chars=4, max_lines=9)
    assert [part.plain for part in parts] == ["abcd", "efgh", "ij"]


def test_parts_keep_their_styles_and_join_back() -> None:
    source = "\n".join(f"[B]bold {n}[/B] and [I]italic {n}[/I]" for n in range(50))
    text = render_bbcode(source)
    parts = split_parts(text, max_chars=200, max_lines=7)
    assert len(parts) > 1
    assert all(len(part) <= 200 and part.plain.count("\n") < 7 for part in parts)
    assert "\n".join(part.plain for part in parts) == text.plain
    for part in parts:
        number = part.plain.split()[1]
        assert style_over(part, f"bold {number}").bold
        assert unstyled(part, " and ")


def test_a_render_pauses_often_and_time_slices_change_nothing() -> None:
    source = "[B]Goal[/B]: ship. " * 200
    calls = 0

    def pause() -> None:
        nonlocal calls
        calls += 1

    assert render_bbcode(source, pause=pause) == render_bbcode(source)
    assert calls >= 400
    assert render_bbcode(source, pause=TimeSlices(work=0.0, rest=0.0)) == render_bbcode(source)
