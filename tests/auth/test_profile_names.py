"""Every command that takes ``--profile`` refuses a name ``login`` would refuse: a usage error."""

from __future__ import annotations

import pytest

from tests.auth.conftest import Home, InProcessRunner

BAD_NAME = "bad name!"


@pytest.mark.parametrize(
    "argv",
    [
        ["doctor", "--profile", BAD_NAME],
        ["--profile", BAD_NAME, "doctor"],
        ["--profile", BAD_NAME],
        ["task", "3", "--profile", BAD_NAME],
        ["logout", "--profile", BAD_NAME],
        ["login", "--profile", BAD_NAME],
    ],
    ids=["doctor", "doctor-global", "dashboard", "task", "logout", "login"],
)
def test_a_bad_profile_name_is_a_usage_error_on_one_line(
    home: Home, cli_main: InProcessRunner, argv: list[str]
) -> None:
    code, out, err = cli_main(argv, input="https://portal.example/rest/1/abc/\n")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1, err
    assert err.startswith(f"b24tui: profile name {BAD_NAME!r} is not valid")
    assert home.files() == []


def test_a_good_profile_name_is_let_through(home: Home, cli_main: InProcessRunner) -> None:
    code, _out, err = cli_main(["logout", "--profile", "work.2"])
    assert code != 2, err
    assert "is not valid" not in err
