"""The headless core never imports Textual (checked in a fresh interpreter)."""

from __future__ import annotations

from tests.fresh import printed_by


def test_core_packages_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        "import b24tui.api, b24tui.models, b24tui.emulator, b24tui.clock\n"
        "import b24tui.checklist_actions, b24tui.workday_actions\n"
        "leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(leaked))\n"
        "assert 'b24tui.api.client' in sys.modules\n"
    )
    printed = printed_by(code)
    assert printed == "", f"Textual imported by the core: {printed}"


def test_demo_does_not_import_the_server_or_tls() -> None:
    """``b24tui --demo`` serves its portal in-process: uvicorn and trustme stay unloaded."""
    code = (
        "import sys\n"
        "import b24tui.app, b24tui.cli, b24tui.config, b24tui.demo, b24tui.services\n"
        "from b24tui.clock import SystemClock\n"
        "b24tui.demo.demo_client(b24tui.demo.demo_portal(SystemClock()))\n"
        "leaked = sorted(\n"
        "    m for m in sys.modules\n"
        "    if m.split('.')[0] in ('uvicorn', 'trustme')\n"
        ")\n"
        "print(','.join(leaked))\n"
        "assert 'b24tui.emulator.app' in sys.modules\n"
    )
    printed = printed_by(code)
    assert printed == "", f"the demo imported: {printed}"


def test_a_start_loads_neither_the_task_form_nor_the_http_client() -> None:
    """What a first paint does not need waits for its first use: the task form (some
    15 ms of imports) and Textual's text area (5 ms) until a form opens, the palette's
    commands until the palette opens; httpx (some 40 ms with what it loads), the
    connection pool and the root certificates (some 25 ms) until the first call."""
    code = (
        "import sys\n"
        "import b24tui.app, b24tui.cli, b24tui.services, b24tui.startup\n"
        "from b24tui.api import B24Client, Webhook\n"
        "client = B24Client(Webhook.parse('https://example.bitrix24.com/rest/1/code/'))\n"
        "leaked = sorted(\n"
        "    m for m in sys.modules\n"
        "    if m in ('b24tui.task_form', 'b24tui.screens.task_form', 'b24tui.commands')\n"
        "    or m in ('textual.widgets._text_area', 'certifi')\n"
        "    or m.split('.')[0] in ('httpx', 'httpcore', 'h11')\n"
        ")\n"
        "print(','.join(leaked))\n"
    )
    printed = printed_by(code)
    assert printed == "", f"loaded before the first paint: {printed}"
