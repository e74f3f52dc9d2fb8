"""What the app depends on, built by the command line (or a test) and handed in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from b24tui.action_queue import ActionQueue
from b24tui.api import B24Client
from b24tui.cache import Cached, SnapshotCache
from b24tui.checklist_actions import ChecklistQueue
from b24tui.clock import Clock
from b24tui.config import DEFAULT_REFRESH_INTERVAL, NotifySettings, Settings
from b24tui.notifications import Announcer, NoticeKind
from b24tui.state import StateFile
from b24tui.store import PortalStore
from b24tui.workday_actions import WorkdayDesk

if TYPE_CHECKING:
    from b24tui.task_form import DraftBox


@dataclass(frozen=True)
class Services:
    """The app's dependencies: the portal client, the clock, and whether this is the demo."""

    client: B24Client
    clock: Clock
    demo: bool = False
    settings: Settings | None = None
    """The config file's settings; ``None`` means every default."""
    remembered: StateFile | None = None
    """Where the profile's theme, last view and sort are kept between runs; ``None``
    remembers nothing (tests that do not ask for it)."""
    cache: SnapshotCache | None = None
    """Where the store's snapshot is kept between runs, for an instant start; ``None``
    keeps none (tests that do not ask for it)."""
    store: PortalStore = field(init=False, repr=False, compare=False)
    """What the app knows of the portal, shared by every screen (built from the rest)."""
    actions: ActionQueue = field(init=False, repr=False, compare=False)
    """The task actions asked for and not yet ended (the app runs them)."""
    checklists: ChecklistQueue = field(init=False, repr=False, compare=False)
    """The checklist changes asked for and not yet answered (the app runs them)."""
    workday: WorkdayDesk = field(init=False, repr=False, compare=False)
    """The workday action under way, if one is (the app runs it)."""
    news: Announcer = field(init=False, repr=False, compare=False)
    """Which changes of the portal are told, and which were told already."""

    def __post_init__(self) -> None:
        store = PortalStore(self.client, self.clock, refresh_interval=self.refresh_interval)
        object.__setattr__(self, "store", store)
        object.__setattr__(self, "actions", ActionQueue(store))
        object.__setattr__(self, "checklists", ChecklistQueue(store))
        object.__setattr__(self, "workday", WorkdayDesk(store))
        kinds = (NoticeKind(kind) for kind in self.notify.kinds)
        object.__setattr__(self, "news", Announcer(kinds))

    def load_snapshot(self) -> Cached | None:
        """The snapshot cache's content, if it holds one for this portal and person (a
        read and parse of a file: safe off the event loop)."""
        return self.cache.load() if self.cache is not None else None

    def use_snapshot(self, cached: Cached) -> bool:
        """Start from ``cached``, unless the portal has answered already (its answer is
        newer): the store knows what it knew, and the notices said then are not said
        again."""
        store = self.store
        if store.loaded or store.loading is not None:
            return False
        self.news.remember(cached.said)
        store.restore(cached.snapshot)
        return True

    def keep_snapshot(self) -> bool:
        """Write what the store knows to the snapshot cache now (see :meth:`snapshot_writer`)."""
        return self.snapshot_writer()()

    def snapshot_writer(self) -> Callable[[], bool]:
        """A write of the store as it is now to the cache, to run off the event loop: the
        snapshot is taken here, its encoding and writing happen when it is called."""
        cache = self.cache
        if cache is None:
            return lambda: False
        snapshot, said, now = self.store.snapshot(), self.news.said, self.clock.now()
        return lambda: cache.save(snapshot, said, now)

    @property
    def notify(self) -> NotifySettings:
        """``[notifications]``: the kinds told, the bell, a desktop notification."""
        return self.settings.notify if self.settings is not None else NotifySettings()

    @property
    def read_only(self) -> bool:
        """Whether nothing may be changed on the portal: no write is offered, and the client
        refuses to send one (``--read-only``, a profile's ``read_only``)."""
        return self.client.read_only

    @property
    def drafts(self) -> DraftBox | None:
        """Where the task form keeps what was typed and not saved, beside the remembered
        choices (``None`` when nothing is remembered)."""
        if self.remembered is None:
            return None
        from b24tui.task_form import DraftBox  # with the form: not needed for a first paint

        return DraftBox.beside(self.remembered.path)

    @property
    def refresh_interval(self) -> float:
        """Seconds between background refreshes of the dashboard."""
        if self.settings is None:
            return DEFAULT_REFRESH_INTERVAL
        return self.settings.refresh_interval
