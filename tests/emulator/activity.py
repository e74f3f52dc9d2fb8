"""Comments and time spent records of the demo user, staged on a task for doc examples."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from b24tui.emulator import DEMO_USER_ID, Portal
from b24tui.emulator.state import Comment, ElapsedItem, Task


@dataclass(frozen=True)
class Activity:
    """The staged records' ids: the demo user's own, so they may change them."""

    comment_id: int
    other_comment_id: int
    elapsed_id: int
    other_elapsed_id: int


def stage_activity(portal: Portal, task: Task) -> Activity:
    """Two comments (one with a file) and two time records by the demo user on ``task``.

    Dated after the docs' filters (``>=POST_DATE 2025-01-01``, ``>=CREATED_DATE
    2024-02-16``) so their examples find them.
    """
    now = portal.now().replace(microsecond=0)
    comments = []
    for index, files in enumerate(([portal.attach(4755).id, portal.attach(4753).id], [])):
        comment = Comment(
            id=portal.next_id("comment"),
            task_id=task.id,
            author_id=DEMO_USER_ID,
            post_date=now - timedelta(hours=2 - index),
            message="Photos attached" if files else "Prepared new photos",
            files=files,
        )
        portal.comments[comment.id] = comment
        task.comments_count += 1
        comments.append(comment.id)
    records = []
    for index in range(2):
        item = ElapsedItem(
            id=portal.next_id("elapsed"),
            task_id=task.id,
            user_id=DEMO_USER_ID,
            seconds=3600 * (index + 1),
            created_date=now - timedelta(hours=3 - index),
            date_start=now - timedelta(hours=3 - index),
            date_stop=now - timedelta(hours=2 - index),
            comment_text="Research",
        )
        portal.elapsed[item.id] = item
        records.append(item.id)
    portal.recount_time_spent(task)
    return Activity(comments[0], comments[1], records[0], records[1])
