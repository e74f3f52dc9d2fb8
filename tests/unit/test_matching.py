"""One folding for every search: case and accents, Latin and Cyrillic alike."""

from __future__ import annotations

import unicodedata

import pytest

from b24tui.matching import fold, fold_with_offsets, matches_words, original_spans
from b24tui.models import Person, Task
from b24tui.views import filter_tasks, matches_query


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("zoe", "Zoë"),
        ("reunion", "Réunion de lancement"),
        ("schafer", "Anna Schäfer"),
        ("uber", "Überarbeitung der Preisliste"),
        ("strasse", "Hauptstraße"),
        ("STRASSE", "Hauptstraße"),
        ("lodz", "Łódź"),
        ("lukasz", "Łukasz Nowak"),
        ("елка", "Ёлка"),
        ("ЁЛКА", "елка"),
        ("отчет", "Подготовить отчёт для клиента"),
        ("ольга", "ОЛЬГА ПЕТРОВА"),
        ("file", "ﬁle"),
        ("12", "Release \uff11\uff12"),  # full-width digits
        ("cafe", "Cafe\u0301 menu"),
    ],
)
def test_a_query_without_accents_or_case_finds_the_text_with_them(typed: str, written: str) -> None:
    assert fold(typed) in fold(written)
    assert matches_words(typed, written)


def test_a_query_typed_with_its_accents_finds_the_text_with_and_without_them() -> None:
    for query in ("zoë", "ZOË", "Zoe\u0308"):
        assert matches_words(query, "Zoe")
        assert matches_words(query, "Zoë")
    assert matches_words("ёлка", "Елка")
    assert matches_words("straße", "STRASSE")


def test_short_i_stays_a_letter_of_its_own() -> None:
    """ "й" has its own key; folding it into "и" would make different words one."""
    assert not matches_words("мои", "мой отчёт")
    assert not matches_words("мой", "мои задачи")
    assert matches_words("МОЙ", "мой отчёт")
    # "й" written as "и" and a combining breve is the same letter.
    assert fold("мои\u0306") == fold("мой") == "мой"
    assert fold("ї") == fold("Ї") != fold("\u0456"), "not the Ukrainian dotted i"


def test_folding_does_not_depend_on_how_the_text_was_composed() -> None:
    for text in ("Réunion", "Ёлка", "Йогурт", "Zażółć gęślą jaźń", "会議の準備をする", "が"):
        composed = unicodedata.normalize("NFC", text)
        decomposed = unicodedata.normalize("NFD", text)
        assert fold(composed) == fold(decomposed)
        assert fold_with_offsets(decomposed)[0] == fold(decomposed)


def test_offsets_in_the_folded_text_lead_back_to_the_characters_shown() -> None:
    text = "Hauptstraße"
    folded, owners = fold_with_offsets(text)
    assert folded == "hauptstrasse"
    start = folded.index("strasse")
    spans = original_spans(text, owners, range(start, start + len("strasse")))
    assert "".join(text[span.start : span.stop] for span in spans) == "straße"
    assert spans[-1] == range(10, 11), "both s of 'ss' are the one ß"

    # An accent written as its own character goes with its letter, never alone.
    text = "Cafe\u0301 menu"
    folded, owners = fold_with_offsets(text)
    spans = original_spans(text, owners, range(folded.index("cafe"), 4))
    assert [(span.start, span.stop) for span in spans] == [(0, 1), (1, 2), (2, 3), (3, 5)]


def _task(task_id: int, title: str, responsible: str = "") -> Task:
    person = Person(id=task_id, name=responsible) if responsible else None
    return Task(id=task_id, title=title, responsible=person)


def test_the_dashboard_filter_folds_titles_and_names() -> None:
    reunion = _task(1, "Réunion de lancement: ordre du jour", "Alex Morgan")
    zoe = _task(2, "Translate the help centre", "Zoë Lambert")
    tree = _task(3, "Нарядить Ёлку", "Ольга Петрова")
    street = _task(4, "Hauptstraße 5: new office", "Anna Schäfer")
    tasks = [reunion, zoe, tree, street]
    assert matches_query(reunion, "reunion")
    assert matches_query(zoe, "zoe")
    assert matches_query(zoe, "ZOË lambert")
    assert matches_query(tree, "елку")
    assert matches_query(street, "strasse schafer")
    assert [task.id for task in filter_tasks(tasks, "zoë")] == [2]
    assert [task.id for task in filter_tasks(tasks, "#3")] == [3]
    assert filter_tasks(tasks, "reunion zoe") == [], "every word must match"


def test_a_renamed_task_is_filtered_by_its_new_title() -> None:
    task = _task(7, "Réunion de lancement")
    assert matches_query(task, "reunion")
    renamed = _task(7, "Bilan trimestriel")
    assert not matches_query(renamed, "reunion")
    assert matches_query(renamed, "bilan")
