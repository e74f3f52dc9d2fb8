"""Deterministic seed data for the emulated portal.

``build_portal("demo", seed, clock)`` gives the same people, projects, tasks, checklists,
history and workdays for the same ``seed`` and clock moment: every random choice comes
from one ``random.Random(seed)`` and every date is placed relative to ``clock.now()``
("yesterday", "today", "next week"), so a demo always looks current and a test always
sees the same portal.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal

from b24tui.clock import Clock, SystemClock
from b24tui.emulator.credentials import DEFAULT_SCOPES
from b24tui.emulator.state import (
    ChecklistItem,
    Comment,
    ElapsedItem,
    Group,
    Pause,
    Portal,
    Task,
    TimemanSettings,
    User,
    Workday,
)

Preset = Literal["demo", "large", "empty"]

DEMO_USER_ID = 1
"""The person using the demo: the seeded webhook's owner."""
ADMIN_USER_ID = 2
"""The portal administrator (deliberately not the demo user)."""
LARGE_TASK_COUNT = 10_000
"""Tasks in the ``large`` preset, for paging benchmarks."""
FIRST_TASK_ID = 101
FIRST_CHECKLIST_ID = 401

HOSTILE_MARKUP_TITLE = "Fix [bold]x[/] in the export dialog"
"""A title containing Rich markup: the UI must show it literally."""
HOSTILE_ESCAPE_TITLE = "Log viewer prints \x1b[31mred\x1b[0m codes raw"
"""A title containing a terminal escape sequence: the UI must neutralise it."""

_PEOPLE: tuple[tuple[int, str, str, str, str, str], ...] = (
    (1, "Alex", "Morgan", "Project Manager", "M", "Berlin"),
    (2, "Victoria", "Adams", "Administrator", "F", "Hamburg"),
    (3, "Patrick", "Hill", "System Administrator", "M", "Dublin"),
    (4, "María José", "Fernández", "Marketing Lead", "F", "Madrid"),
    (5, "Gregory", "Scott", "Backend Developer", "M", "Leeds"),
    (6, "Zoë", "Lambert", "Product Designer", "F", "Lyon"),
    (7, "Łukasz", "Nowak", "QA Engineer", "M", "Kraków"),
    (8, "Anna", "Schäfer", "Accountant", "F", "München"),
    (9, "Kenji", "Watanabe", "Frontend Developer", "M", "Osaka"),
    (10, "Ольга", "Петрова", "Sales Manager", "F", "Riga"),
)

_GROUPS: tuple[tuple[int, str, bool, frozenset[int]], ...] = (
    (1, "Website Relaunch", True, frozenset({1, 4, 5, 6, 9})),
    (2, "Mobile App 2.0", True, frozenset({1, 5, 7, 9})),
    (3, "Finance Q3", False, frozenset({2, 8, 10})),
    (4, "Office Move", True, frozenset({1, 2, 3, 4, 5, 6, 7, 8, 9, 10})),
)

_TITLES: tuple[str, ...] = (
    "Prepare the quarterly report",
    "Update the pricing page",
    "Review the onboarding flow",
    "Migrate the mailing list",
    "Fix the login timeout",
    "Plan the team offsite",
    "Write release notes for 2.4",
    "Audit the access rights",
    "Renew the SSL certificates",
    "Draft the supplier contract",
    "Clean up the backlog",
    "Set up the staging server",
    "Translate the help centre",
    "Order new monitors",
    "Prepare the demo for the client",
    "Check the invoice numbering",
    "Record the product video",
    "Refactor the sync worker",
    "Interview the QA candidates",
    "Collect feedback from beta users",
    "Überarbeitung der Preisliste",
    "Подготовить отчёт для клиента",
    "会議の準備をする",
    "Café menu update 🍰",
    "Réunion de lancement: ordre du jour",
    "Zażółć gęślą jaźń: test encoding",
    "Benchmark the search index",
    "Archive last year's projects",
    "Replace the office router",
    "Design the new icons",
)

_DESCRIPTIONS: tuple[str, ...] = (
    "[B]Goal:[/B] ship the new landing page.\n[LIST]\n[*]Hero block\n[*]Pricing table\n"
    "[*]FAQ\n[/LIST]\nMock-ups: [URL=https://example.com/mockups]design board[/URL]. "
    "Ask [USER=5]Gregory Scott[/USER] about the API.",
    "[QUOTE]The export hangs at 99 %.[/QUOTE]\nSteps:\n[LIST=1]\n[*]Open the report\n"
    "[*]Press [I]Export[/I]\n[/LIST]",
    "[CODE]SELECT ID, TITLE FROM b_tasks WHERE STATUS = 3;[/CODE]\n"
    "Check the index on [B]STATUS[/B] first.",
    "[I]Reminder:[/I] coordinate with [USER=4]María José Fernández[/USER] before Friday.",
    "Plain text, no formatting at all.",
    "Literal brackets must stay: [bold]not bold[/bold], [link=https://x.example]y[/link], "
    "and an escape \x1b[2J that must not clear the screen.",
    "",
    "[B]Budget[/B]: 1 200 €\n[U]Deadline is firm.[/U]\n[S]Old plan[/S] replaced.",
)

_CHECKLIST_NAMES: tuple[str, ...] = ("Checklist 1", "Preparation", "Acceptance", "Follow-up")
_ITEM_TITLES: tuple[str, ...] = (
    "Collect the requirements",
    "Agree on details with the client",
    "Prepare the draft",
    "Send for review",
    "Fix the remarks",
    "Publish",
    "Notify the team",
    "Book the room",
    "Check the numbers twice",
    "Sign the contract",
)

_COMMENTS: tuple[str, ...] = (
    "I'll take a look today.",
    "Done on my side, please check.",
    "Can we move this to next week?",
    "[B]Blocked[/B] until the client answers.",
    "Draft attached.",
    "Thanks, looks good to me.",
    "Who has the latest numbers?",
    "Updated the description with the new scope.",
    "Reminder: the deadline is close.",
    "Merci, c'est noté 👍",
)
_WORK_NOTES: tuple[str, ...] = ("Research", "Call with the client", "Implementation", "Review", "")

_Due = Literal["yesterday", "today", "tomorrow", "next_week", "last_week", "in_3_days", "none"]


@dataclass
class _Spec:
    """One hand-placed task of the demo preset."""

    title: str
    creator: int
    responsible: int
    status: int
    due: _Due = "none"
    accomplices: Sequence[int] = ()
    auditors: Sequence[int] = ()
    group: int = 0
    control: bool = False
    priority: int | None = None
    muted: bool = False
    favorite: bool = False
    checklist: bool = False
    description: str | None = None
    extra: dict[str, object] = field(default_factory=dict)


def _demo_specs() -> list[_Spec]:
    """The hand-placed tasks: every dashboard view and status for the demo user."""
    me = DEMO_USER_ID
    return [
        # Responsible, every status.
        _Spec("Prepare the demo for the client", 2, me, 2, "today", priority=2, checklist=True),
        _Spec(
            "Fix the login timeout",
            5,
            me,
            3,
            "tomorrow",
            auditors=(3,),
            group=2,
            checklist=True,
            favorite=True,
        ),
        _Spec("Write release notes for 2.4", 9, me, 4, "yesterday", control=True, group=2),
        _Spec("Renew the SSL certificates", 3, me, 5, "last_week"),
        _Spec("Order new monitors", 2, me, 6, "none", group=4),
        # Overdue while pending / in progress.
        _Spec("Check the invoice numbering", 8, me, 2, "yesterday", priority=2),
        _Spec("Audit the access rights", 2, me, 3, "last_week", auditors=(3,), muted=True),
        # Accomplice.
        _Spec(
            "Refactor the sync worker",
            5,
            5,
            3,
            "next_week",
            accomplices=(me,),
            group=2,
            checklist=True,
        ),
        _Spec("Translate the help centre", 4, 6, 2, "in_3_days", accomplices=(me, 9), group=1),
        # Auditor only: the demo user may look but not act.
        _Spec(
            "Benchmark the search index",
            3,
            5,
            3,
            "tomorrow",
            auditors=(me,),
            group=2,
            checklist=True,
        ),
        _Spec("Replace the office router", 2, 3, 2, "today", auditors=(me, 8), muted=True),
        _Spec("Record the product video", 6, 9, 4, "yesterday", auditors=(me,), control=True),
        # Created by the demo user for others.
        _Spec("Update the pricing page", me, 4, 2, "next_week", group=1, checklist=True),
        _Spec("Set up the staging server", me, 3, 3, "tomorrow", control=True),
        # Awaiting the demo user's control.
        _Spec(
            "Draft the supplier contract",
            me,
            8,
            4,
            "yesterday",
            control=True,
            checklist=True,
            priority=2,
        ),
        _Spec("Design the new icons", me, 6, 4, "today", control=True, group=1),
        # Hostile and non-ASCII titles.
        _Spec(HOSTILE_MARKUP_TITLE, 5, me, 2, "tomorrow", group=1, description=_DESCRIPTIONS[5]),
        _Spec(HOSTILE_ESCAPE_TITLE, 7, me, 3, "in_3_days", group=2),
        _Spec("Подготовить отчёт для клиента", 10, me, 2, "next_week", favorite=True),
        _Spec("会議の準備をする", 9, me, 2, "none", accomplices=(5,)),
        _Spec("Café menu update 🍰", me, me, 3, "today", checklist=True),
        # Someone else's work in a project the demo user belongs to (visible, not theirs).
        _Spec("Collect feedback from beta users", 4, 6, 2, "next_week", group=1),
        # Invisible to the demo user: a closed project and private tasks of others.
        _Spec("Close the books for Q3", 8, 10, 3, "next_week", group=3),
        _Spec("Approve the travel budget", 2, 8, 2, "tomorrow"),
    ]


def _due_date(due: _Due, now: datetime, rng: random.Random) -> datetime | None:
    """A deadline placed relative to ``now`` (end-of-business-day times)."""
    today = now.date()
    offsets = {
        "yesterday": -1,
        "today": 0,
        "tomorrow": 1,
        "in_3_days": 3,
        "next_week": 7,
        "last_week": -6,
    }
    if due == "none":
        return None
    hour = rng.choice((12, 17, 18, 19))
    return datetime.combine(today + timedelta(days=offsets[due]), time(hour), tzinfo=now.tzinfo)


def _guid(rng: random.Random) -> str:
    return "{" + str(uuid.UUID(int=rng.getrandbits(128), version=4)) + "}"


def _add_users(portal: Portal, rng: random.Random) -> None:
    now = portal.now()
    for user_id, name, last_name, position, gender, city in _PEOPLE:
        ascii_name = {"María José": "maria", "Zoë": "zoe", "Łukasz": "lukasz", "Ольга": "olga"}
        local = ascii_name.get(name, name.lower())
        last = {"Fernández": "fernandez", "Schäfer": "schaefer", "Петрова": "petrova"}.get(
            last_name, last_name.lower()
        )
        registered = now - timedelta(days=400 + rng.randrange(300))
        portal.users[user_id] = User(
            id=user_id,
            name=name,
            last_name=last_name,
            email=f"{local}.{last}@demo.example",
            work_position=position,
            gender=gender,
            admin=user_id == ADMIN_USER_ID,
            departments=[1] if user_id <= 3 else [1, 1 + user_id % 3],
            date_register=registered,
            last_login=now - timedelta(minutes=rng.randrange(5, 3000)),
            is_online=rng.random() < 0.5 or user_id == DEMO_USER_ID,
            time_zone="Europe/Berlin" if user_id == DEMO_USER_ID else "",
            photo=None if user_id % 4 == 0 else f"/upload/main/avatar/{user_id}.png",
            personal_city=city,
            # Derived from the id, not drawn from ``rng``: the rest of the seed stays put.
            work_phone=f"+1 555 01{user_id:02d}",
            personal_mobile=f"+1 555 02{user_id:02d}" if user_id % 2 else "",
            personal_www=f"https://{local}.example" if user_id % 3 == 0 else "",
            birthday=None if user_id % 5 == 0 else date(1975 + 2 * user_id, user_id, 3 * user_id),
            profile_changed=registered + timedelta(days=7 * user_id, hours=4, seconds=user_id),
        )
        portal.timeman_settings[user_id] = TimemanSettings(flexible=user_id in (2, 6))


def _add_groups(portal: Portal) -> None:
    for group_id, name, opened, members in _GROUPS:
        portal.groups[group_id] = Group(group_id, name, opened, set(members))


def _new_task(
    portal: Portal,
    rng: random.Random,
    *,
    title: str,
    creator: int,
    responsible: int,
    status: int,
    deadline: datetime | None,
    accomplices: Sequence[int] = (),
    auditors: Sequence[int] = (),
    group: int = 0,
    control: bool = False,
    priority: int | None = None,
    description: str | None = None,
    history: bool = True,
) -> Task:
    now = portal.now()
    created = now - timedelta(days=rng.randrange(2, 40), minutes=rng.randrange(0, 600))
    changed = created + (now - created) * rng.random()
    task = Task(
        id=portal.next_id("task"),
        title=title,
        created_by=creator,
        responsible_id=responsible,
        created_date=created,
        description=description if description is not None else rng.choice(_DESCRIPTIONS),
        status=status,
        priority=priority if priority is not None else rng.choice((0, 1, 1, 1, 2)),
        accomplices=[user for user in accomplices if user != responsible],
        auditors=list(auditors),
        group_id=group,
        deadline=deadline,
        changed_date=changed,
        changed_by=rng.choice((creator, responsible)),
        status_changed_date=changed,
        status_changed_by=responsible if status != 2 else creator,
        activity_date=changed,
        task_control=control,
        allow_change_deadline=rng.random() < 0.5,
        allow_time_tracking=rng.random() < 0.4,
        time_estimate=rng.choice((0, 0, 3600, 7200, 28800)),
        comments_count=rng.randrange(0, 12),
        chat_id=1000 + rng.randrange(9000),
        guid=_guid(rng),
        viewed_by={creator, responsible} if rng.random() < 0.8 else {creator},
    )
    task.new_comments_count = rng.randrange(0, 3) if task.comments_count else 0
    if status in (3, 4, 5):
        task.date_start = created + (changed - created) / 2
    if status == 5:
        task.closed_date = changed
        task.closed_by = responsible
        task.mark = rng.choice((None, "P", "P", "N"))
    if group:
        task.stage_id = 100 + group
    portal.tasks[task.id] = task
    if history:
        _add_history(portal, rng, task)
    return task


def _add_history(portal: Portal, rng: random.Random, task: Task) -> None:
    """A plausible change log: creation, then the steps that led to the current state."""
    portal.record(task, "NEW", task.created_by, when=task.created_date)
    step = task.created_date
    if task.deadline is not None:
        step += timedelta(minutes=rng.randrange(1, 30))
        deadline_ts = str(int(task.deadline.timestamp()))
        portal.record(task, "DEADLINE", task.created_by, "", deadline_ts, when=step)
    for auditor in task.auditors:
        step += timedelta(minutes=rng.randrange(1, 30))
        portal.record(task, "AUDITORS", task.created_by, "", auditor, when=step)
    path = {2: [], 3: [3], 4: [3, 4], 5: [3, 5], 6: [6]}[task.status]
    previous = 2
    for status in path:
        step += timedelta(hours=rng.randrange(1, 20))
        portal.record(task, "STATUS", task.responsible_id, previous, status, when=step)
        previous = status
    if task.comments_count:
        step += timedelta(minutes=rng.randrange(1, 90))
        portal.record(
            task, "COMMENT", task.responsible_id, None, rng.randrange(3000, 4000), when=step
        )


def _add_checklist(portal: Portal, rng: random.Random, task: Task) -> None:
    """One or two checklists, items and some sub-items (three levels), some done."""
    creator = task.created_by
    for checklist_index in range(rng.choice((1, 1, 2))):
        checklist = ChecklistItem(
            id=portal.next_id("checklist"),
            task_id=task.id,
            parent_id=0,
            title=_CHECKLIST_NAMES[checklist_index if checklist_index else rng.randrange(4)],
            created_by=creator,
            sort_index=checklist_index,
        )
        portal.checklist_items[checklist.id] = checklist
        portal.record(
            task,
            "CHECKLIST_ITEM_CREATE",
            creator,
            "",
            checklist.title,
            when=task.created_date + timedelta(minutes=1),
        )
        for item_index in range(rng.randrange(2, 5)):
            item = _checklist_item(portal, rng, task, checklist.id, item_index)
            if rng.random() < 0.4:
                for sub_index in range(rng.randrange(1, 3)):
                    _checklist_item(portal, rng, task, item.id, sub_index)


def _checklist_item(
    portal: Portal, rng: random.Random, task: Task, parent_id: int, sort_index: int
) -> ChecklistItem:
    done = rng.random() < 0.4
    item = ChecklistItem(
        id=portal.next_id("checklist"),
        task_id=task.id,
        parent_id=parent_id,
        title=rng.choice(_ITEM_TITLES),
        created_by=task.created_by,
        sort_index=sort_index,
        is_complete=done,
        is_important=rng.random() < 0.15,
    )
    if done:
        item.toggled_by = task.responsible_id
        item.toggled_date = task.changed_date
    if rng.random() < 0.2:
        item.members = {task.responsible_id: "A"}
    portal.checklist_items[item.id] = item
    return item


def _add_demo_tasks(portal: Portal, rng: random.Random) -> None:
    now = portal.now()
    me = DEMO_USER_ID
    for spec in _demo_specs():
        task = _new_task(
            portal,
            rng,
            title=spec.title,
            creator=spec.creator,
            responsible=spec.responsible,
            status=spec.status,
            deadline=_due_date(spec.due, now, rng),
            accomplices=spec.accomplices,
            auditors=spec.auditors,
            group=spec.group,
            control=spec.control,
            priority=spec.priority,
            description=spec.description,
        )
        if spec.checklist:
            _add_checklist(portal, rng, task)
        if spec.muted:
            portal.muted.setdefault(me, set()).add(task.id)
        if spec.favorite:
            portal.favorites.setdefault(me, set()).add(task.id)
    # Fill up to about eighty tasks with random roles, statuses and deadlines.
    dues: tuple[_Due, ...] = (
        "yesterday",
        "today",
        "tomorrow",
        "next_week",
        "last_week",
        "in_3_days",
        "none",
        "none",
    )
    others = [user_id for user_id in portal.users if user_id != me]
    while len(portal.tasks) < 80:
        role = rng.choice(("responsible", "responsible", "accomplice", "auditor", "creator"))
        creator, responsible = rng.sample(others, 2)
        accomplices: list[int] = []
        auditors: list[int] = []
        if role == "responsible":
            responsible = me
        elif role == "creator":
            creator = me
        elif role == "accomplice":
            accomplices = [me]
        else:
            auditors = [me]
        status = rng.choice((2, 2, 3, 3, 4, 5, 5, 6))
        control = status == 4 or rng.random() < 0.3
        group = rng.choice((0, 0, 1, 2, 4))
        task = _new_task(
            portal,
            rng,
            title=rng.choice(_TITLES),
            creator=creator,
            responsible=responsible,
            status=status,
            deadline=_due_date(rng.choice(dues), now, rng),
            accomplices=accomplices,
            auditors=auditors,
            group=group,
            control=control,
        )
        if rng.random() < 0.25:
            _add_checklist(portal, rng, task)
        if rng.random() < 0.1:
            portal.favorites.setdefault(me, set()).add(task.id)
        if rng.random() < 0.08:
            portal.muted.setdefault(me, set()).add(task.id)


def _add_activity(portal: Portal, rng: random.Random) -> None:
    """Each task's comments (as many as its ``comments_count``) and, for tasks with time
    tracking that are under way or done, a few records of time spent.

    ``rng`` is a generator of its own, so the tasks drawn before stay as they were.
    """
    now = portal.now()
    for task in portal.tasks.values():
        people = sorted(task.members())
        for _ in range(task.comments_count):
            posted = task.created_date + (now - task.created_date) * rng.random()
            comment = Comment(
                id=portal.next_id("comment"),
                task_id=task.id,
                author_id=rng.choice(people),
                post_date=posted.replace(microsecond=0),
                message=rng.choice(_COMMENTS),
            )
            if comment.message == "Draft attached.":
                comment.files = [portal.attach(4000 + rng.randrange(1000)).id]
            portal.comments[comment.id] = comment
        if not (task.allow_time_tracking and task.status in (3, 5)):
            continue
        doers = [task.responsible_id, *task.accomplices]
        for _ in range(rng.randrange(1, 4)):
            began = task.created_date + (now - task.created_date) * rng.random()
            seconds = rng.choice((900, 1800, 2700, 3600, 5400, 7200))
            item = ElapsedItem(
                id=portal.next_id("elapsed"),
                task_id=task.id,
                user_id=rng.choice(doers),
                seconds=seconds,
                created_date=began.replace(microsecond=0),
                date_start=began.replace(microsecond=0),
                date_stop=(began + timedelta(seconds=seconds)).replace(microsecond=0),
                comment_text=rng.choice(_WORK_NOTES),
                source=rng.choice((2, 3)),
            )
            portal.elapsed[item.id] = item
        portal.recount_time_spent(task)


def _add_large_tasks(portal: Portal, rng: random.Random, count: int) -> None:
    """``count`` plain tasks (no checklists, a creation entry only) built quickly."""
    now = portal.now()
    me = DEMO_USER_ID
    user_ids = list(portal.users)
    statuses = (2, 2, 3, 3, 4, 5, 5, 6)
    for index in range(count):
        creator = rng.choice(user_ids)
        responsible = me if index % 3 else rng.choice(user_ids)
        status = statuses[index % len(statuses)]
        created = now - timedelta(minutes=count - index)
        due_days = rng.randrange(-20, 40)
        task = Task(
            id=portal.next_id("task"),
            title=f"{_TITLES[index % len(_TITLES)]} #{index + 1}",
            created_by=creator,
            responsible_id=responsible,
            created_date=created,
            status=status,
            priority=index % 3,
            deadline=None if index % 5 == 0 else now + timedelta(days=due_days),
            changed_date=created,
            changed_by=creator,
            status_changed_date=created,
            status_changed_by=creator,
            activity_date=created,
            task_control=status == 4,
            group_id=(0, 1, 2, 4)[index % 4],
            guid=f"{{00000000-0000-4000-8000-{index:012d}}}",
            viewed_by={creator, responsible},
        )
        if status == 5:
            task.closed_date = created
            task.closed_by = responsible
        portal.tasks[task.id] = task
        portal.record(task, "NEW", creator, when=created)


def _add_workdays(portal: Portal, rng: random.Random) -> None:
    """The demo user's day is running since this morning, with one finished break."""
    now = portal.now()
    midnight = datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)
    morning = datetime.combine(now.date(), time(8, rng.randrange(40, 60), 1), tzinfo=now.tzinfo)
    start = min(morning, now - timedelta(hours=2))
    start = max(start, midnight)
    day = Workday(user_id=DEMO_USER_ID, time_start=start, lat_open=52.520008, lon_open=13.404954)
    break_length = timedelta(minutes=17, seconds=53)
    if now - start > break_length * 3:
        break_start = start + (now - start - break_length) / 2
        day.pauses.append(Pause(break_start, break_start + break_length))
    portal.workdays[DEMO_USER_ID] = day
    # Someone who forgot to close yesterday's day (EXPIRED), and a closed day.
    yesterday = now.date() - timedelta(days=1)
    portal.workdays[5] = Workday(
        user_id=5,
        time_start=datetime.combine(yesterday, time(8, 0, 1), tzinfo=now.tzinfo),
        pauses=[
            Pause(
                datetime.combine(yesterday, time(12, 30), tzinfo=now.tzinfo),
                datetime.combine(yesterday, time(13, 10), tzinfo=now.tzinfo),
            )
        ],
    )
    portal.workdays[ADMIN_USER_ID] = Workday(
        user_id=ADMIN_USER_ID,
        time_start=datetime.combine(yesterday, time(9, 2, 11), tzinfo=now.tzinfo),
        time_finish=datetime.combine(yesterday, time(18, 4, 40), tzinfo=now.tzinfo),
    )


def build_portal(
    preset: Preset = "demo",
    seed: int = 0,
    clock: Clock | None = None,
    *,
    large_tasks: int = LARGE_TASK_COUNT,
) -> Portal:
    """Build a seeded portal.

    Args:
        preset: ``"demo"`` (people, projects, ~80 tasks, checklists, comments, time spent,
            history, a running workday), ``"large"`` (the same people plus 10,000 tasks)
            or ``"empty"`` (people only).
        seed: Drives every random choice; the same seed and clock give the same portal.
        clock: The portal's clock; dates are placed relative to its current moment.
        large_tasks: how many tasks the ``"large"`` preset has.
    """
    if large_tasks < 0:
        raise ValueError("a portal cannot have fewer than no tasks")
    if preset not in ("demo", "large", "empty"):
        raise ValueError(f"unknown preset {preset!r}")
    portal = Portal(clock or SystemClock())
    rng = random.Random(seed)
    portal.start_ids("task", FIRST_TASK_ID)
    portal.start_ids("checklist", FIRST_CHECKLIST_ID)
    portal.start_ids("history", 16001)
    portal.start_ids("attachment", 1001)
    portal.start_ids("comment", 3001)
    webhook_code = f"{random.Random(f'webhook-{seed}').getrandbits(64):016x}"
    portal.credentials.add_webhook(DEMO_USER_ID, DEFAULT_SCOPES, code=webhook_code)
    _add_users(portal, rng)
    _add_groups(portal)
    if preset == "demo":
        _add_demo_tasks(portal, rng)
        _add_workdays(portal, rng)
        _add_activity(portal, random.Random(f"activity-{seed}"))
    elif preset == "large":
        _add_large_tasks(portal, rng, large_tasks)
        _add_workdays(portal, rng)
    return portal
