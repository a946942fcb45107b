import inspect

from consistency.types import ExitCode


def test_exit_codes_are_documented_and_stable():
    assert [int(c) for c in ExitCode] == [0, 1, 2, 3, 130]
    src = inspect.getsource(ExitCode)
    for member in ExitCode:
        # every member is followed by its own docstring in the source
        line = f"{member.name} = {int(member)}\n"
        assert line in src
        after = src.split(line, 1)[1].lstrip()
        assert after.startswith('"""'), member.name
