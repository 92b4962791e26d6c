"""Data from a stranger is hostile (issue 20). Each case here is bad input that once traced back, hung or
ran out of memory: it is now refused through the command line with exit code 2, no traceback, and one
message naming the file, the field, the value and what is allowed, within a few seconds. The cases that
could hang or exhaust memory run in a subprocess with a timeout and a memory limit."""
from __future__ import annotations

import copy
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from mogok_econ import limits
from mogok_econ.errors import Problem

from .conftest import BASE_SCENARIO, BIBLIOGRAPHY

SECONDS = 5  # each refusal, in-process


@pytest.fixture
def folder(data_dir):
    """A data folder of a stranger's: the base scenario, the test bibliography, an empty levers/, a timeline."""
    data_dir.scenario("base")
    data_dir.write_yaml("timeline.yaml", _timeline("2020-01-01", "2024-08-01"))
    return data_dir


def _timeline(start: str, end: str) -> dict:
    return {"periods": [{"scenario": "base", "start": start, "end": end, "source": "test-source"}]}


@pytest.fixture
def refused(run_cli):
    """Run the command line; assert exit 2, no traceback, every fragment in stderr, within SECONDS. Returns stderr."""
    def run(*args: str, says: tuple[str, ...] = ()) -> str:
        start = time.perf_counter()
        code, out, err = run_cli(*args)
        took = time.perf_counter() - start
        assert code == 2, (code, out, err)
        assert "Traceback" not in err and out == "", err
        for fragment in says:
            assert fragment in err, (fragment, err)
        assert took < SECONDS, f"{took:.1f} s"
        return err
    return run


def _scenario_text(folder, stem: str, text: str) -> str:
    path = folder.root / "scenarios" / f"{stem}.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _base(**changes) -> dict:
    doc = copy.deepcopy(BASE_SCENARIO)
    doc.update(changes)
    return doc


# --- YAML that stands for far more than it holds ------------------------------------------------------------

def _alias_bomb(levels: int = 9) -> str:
    """The "billion laughs": `levels` anchors, each a list of nine aliases of the one before (9^levels values)."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{', '.join([f'*{prev}'] * 9)}]")
    return "\n".join(lines) + f"\nname: bomb\ntitle: *{chr(ord('a') + levels - 1)}\n"


def _limit_memory_and_time():  # in the child: 2 GiB of address space (the bomb once took more), 60 s of CPU
    resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))


def test_an_alias_bomb_is_refused_at_once_in_bounded_memory(folder):
    text = _alias_bomb()
    assert len(text.encode()) < 700  # a few hundred bytes standing for 9^9 values
    path = _scenario_text(folder, "bomb", text)
    exe = Path(sys.executable).with_name("mogok-econ")
    start = time.perf_counter()
    result = subprocess.run([str(exe), "validate", path], capture_output=True, text=True, timeout=60,
                            preexec_fn=_limit_memory_and_time,
                            env={**os.environ, "MOGOK_ECON_DATA": str(folder.root), "OPENBLAS_NUM_THREADS": "1"})
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "bomb.yaml: e = '&e [*d, *d" in result.stderr  # the file, the field, the value as written
    assert f"more than {limits.MAX_VALUES:,} values once its aliases (*name) are expanded" in result.stderr
    assert time.perf_counter() - start < 20


def test_an_alias_of_what_holds_it_is_refused(folder, refused):
    path = _scenario_text(folder, "loop", "name: loop\ntitle: &a [1, *a]\n")
    refused("validate", path, says=("loop.yaml: title[1] = '&a [1, *a]'", "the data would be infinite"))


def test_a_huge_flat_list_is_refused(folder, refused):
    path = _scenario_text(folder, "long", "name: long\ntitle: [" + "0," * 400_000 + "0]\n")
    refused("validate", path, says=("long.yaml: title[49994]: (line 2) is where the file passes",
                                     f"at most {limits.MAX_VALUES:,}"))


def test_deep_nesting_is_refused(folder, refused):
    path = _scenario_text(folder, "deep", "name: deep\ntitle: " + "[" * 30 + "]" * 30 + "\n")
    refused("validate", path, says=("deep.yaml: title[0][0]", f"at most {limits.MAX_DEPTH}"))
    path = _scenario_text(folder, "deeper", "name: deeper\ntitle: " + "[" * 300_000 + "]" * 300_000 + "\n")
    refused("validate", path, says=("deeper.yaml", "nesting depth"))


def test_a_value_is_never_written_out_whole_in_a_message():
    huge = [["lol"] * 9]
    for _ in range(9):
        huge = [huge] * 9  # shared, as YAML aliases are: 9^10 items if written out
    start = time.perf_counter()
    text = str(Problem("f.yaml", "title", huge, "must be text."))
    assert time.perf_counter() - start < 0.1 and len(text) < 200
    assert len(str(Problem("f.yaml", "n", 10**5000, "too long."))) < 200  # more digits than Python will write


# --- numbers, names and periods that once traced back -------------------------------------------------------

def test_an_integer_of_5000_digits_is_refused(folder, refused):
    path = _scenario_text(folder, "big", "name: big\ntitle: x\nsummary: " + "9" * 5000 + "\n")
    refused("validate", path, says=("big.yaml: summary = '9999", "a number of 5,000 characters",
                                     f"at most {limits.MAX_NUMBER_CHARS}"))


def test_a_period_that_ends_before_it_starts_is_refused(folder, refused):
    folder.scenario("backwards", period={"start": "2024-07", "end": "2020-01"})
    for command in ("validate", "split"):
        refused(command, *(["backwards"] if command == "split" else [str(folder.root / "scenarios/backwards.yaml")]),
                says=("backwards.yaml: period = {'end': '2020-01', 'start': '2024-07'}", "ends before it starts"))


def test_a_period_in_the_year_9999_is_refused(folder, refused):
    folder.scenario("far", period={"start": "0001-01", "end": "9999-12"})
    refused("split", "far", says=("far.yaml: period.start = '0001-01'", "far.yaml: period.end = '9999-12'",
                                  f"from {limits.FIRST_YEAR} to {limits.LAST_YEAR}"))


@pytest.mark.parametrize("name", ["a" * 300, "a\x1b[2J", "../no/such"])
def test_a_scenario_name_too_long_or_strange_on_the_command_line_is_refused(folder, refused, name):
    err = refused("split", name)
    assert "command line: scenario" in err or "no/such: the scenario file does not exist" in err
    if name.startswith("a"):
        assert "at most 64 characters" in err and "\x1b" not in err  # shown escaped: no terminal control


def test_a_path_too_long_for_the_system_is_refused(folder, refused):
    refused("split", "x" * 5000 + ".yaml", says=("the scenario file cannot be read (File name too long)",))


@pytest.mark.parametrize(("name", "says"), [("../base", "a scenario name is lower case letters"),
                                            ("Base\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)")])
def test_a_name_with_a_path_or_a_control_character_in_a_file_is_refused(folder, refused, name, says):
    folder.scenario("strange", name=name)
    refused("split", "strange", says=("strange.yaml: name", says))


def test_a_chain_of_extends_too_long_is_refused(folder, refused):
    for i in range(100):  # once a RecursionError at about 1,000
        folder.scenario(f"s{i}", extends=f"s{i + 1}" if i < 99 else "base")
    refused("split", "s0", says=(f"s{limits.MAX_EXTENDS - 1}.yaml: extends = 's{limits.MAX_EXTENDS}'",
                                 f"at most {limits.MAX_EXTENDS}"))


def test_a_folder_of_too_many_scenarios_is_refused(folder, refused):
    text = (folder.root / "scenarios" / "base.yaml").read_text()
    for i in range(limits.MAX_FILES):
        (folder.root / "scenarios" / f"s{i}.yaml").write_text(text)
    refused("scenarios", says=(f"scenarios = {limits.MAX_FILES + 1}: holds {limits.MAX_FILES + 1} scenario files",
                               f"at most {limits.MAX_FILES}"))


def test_extends_with_a_path_is_refused(folder, refused):
    folder.scenario("climber", extends="../../outside")
    refused("split", "climber", says=("climber.yaml: extends = '../../outside'", "must name another scenario"))


# --- text: control characters, size ------------------------------------------------------------------------

def test_a_nul_character_is_reported_with_its_line_and_column(folder, refused):
    path = _scenario_text(folder, "nul", "name: nul\ntitle: a\0b\n")
    refused("validate", path, says=("nul.yaml: title: is not valid YAML at line 2, column 9", "U+0000"))


@pytest.mark.parametrize(("char", "named"), [("\x1b", "U+001B"), ("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
                                             ("\x85", "U+0085")])
def test_control_characters_in_text_are_refused(folder, refused, char, named):
    folder.scenario("ctl", title=f"A title{char}[2J")
    refused("split", "ctl", says=("ctl.yaml: title = 'A title", named, "control characters"))


def test_a_50_mb_summary_is_refused_by_the_file_size_limit(folder, refused):
    path = folder.root / "scenarios" / "huge.yaml"
    with path.open("w") as f:
        f.write(yaml.safe_dump(_base(name="huge", summary="x"), sort_keys=False).replace("summary: x", "summary: "))
        f.write("a" * 50_000_000)
    refused("split", "huge", says=("huge.yaml: the scenario file is 47.7 MiB", "at most 1.0 MiB"))


def test_a_long_text_is_refused(folder, refused):
    folder.scenario("wordy", summary="word " * 5000)
    refused("split", "wordy", says=("wordy.yaml: summary = 'word word", f"at most {limits.MAX_TEXT_CHARS:,}"))


def test_the_size_limit_leaves_room_for_the_shipped_files():
    shipped = Path(__file__).resolve().parents[1] / "data"
    largest = max(p.stat().st_size for p in shipped.rglob("*.yaml"))
    assert largest * 5 < limits.MAX_FILE_BYTES


# --- the levers commands without levers ---------------------------------------------------------------------

@pytest.mark.parametrize("args", [["levers", "base"], ["levers", "--matrix"]])
def test_levers_without_a_levers_folder_are_refused(folder, refused, args):
    (folder.root / "levers").rmdir()
    refused(*args, "--draws", "100", says=("levers: levers:", "no lever files (no such folder)"))


def test_the_lever_matrix_without_scenarios_is_refused(folder, refused):
    (folder.root / "scenarios" / "base.yaml").unlink()
    refused("levers", "--matrix", "--draws", "100", says=("scenarios: scenarios:", "no scenario files"))


def test_levers_when_every_lever_is_refused(folder, refused):
    folder.write_yaml("levers/elsewhere.yaml", {
        "name": "elsewhere", "title": "Only elsewhere", "summary": "A lever for another scenario.",
        "source": "test-source", "applies_to": ["other"],
        "changes": [{"parameter": "checkpoint_rate", "op": "set", "value": 0.0}], "feasible_under": []})
    refused("levers", "base", "--draws", "100",
            says=("base.yaml: levers = ['elsewhere']", "no lever can be applied to scenario 'base'",
                  "not meant for scenario 'base'"))


# --- dates: the timeline, the sources -----------------------------------------------------------------------

@pytest.mark.parametrize(("start", "end", "field", "value"), [
    ("1000-01-01", "2024-08-01", "periods[0].start", "1000-01-01"),
    ("2020-01-01", "9999-01-01", "periods[0].end", "9999-01-01"),
])
def test_a_timeline_beyond_the_years_it_may_cover_is_refused(folder, refused, start, end, field, value):
    folder.write_yaml("timeline.yaml", _timeline(start, end))
    refused("timeline", "--json", "--draws", "20000",
            says=(f"timeline.yaml: {field} = '{value}'", f"from {limits.TIMELINE_FIRST_YEAR}-01-01 to "
                  f"{limits.TIMELINE_LAST_YEAR + 1}-01-01"))


def test_the_memory_check_uses_the_timelines_own_length(folder, run_cli, monkeypatch):
    # memory for 30,000 draws of the measured timeline: 20,000 pass the option's check, but not over 63 years
    memory = int(30_000 * limits.BYTES_PER_DRAW["timeline"] / limits.MEMORY_SHARE)
    monkeypatch.setattr(limits, "available_memory", lambda: memory)
    folder.write_yaml("timeline.yaml", _timeline("1988-01-01", "2051-01-01"))
    code, out, err = run_cli("timeline", "--json", "--draws", "20000")
    assert code == 2 and out == "" and "Traceback" not in err
    assert "--draws 20000 needs about" in err and "over the timeline's 756 months" in err
    assert limits.bytes_per_draw("timeline", 756) > 5 * limits.BYTES_PER_DRAW["timeline"]
    assert limits.bytes_per_draw("timeline", 100) == limits.BYTES_PER_DRAW["timeline"]  # never below the measure
    assert limits.bytes_per_draw("split", 756) == limits.BYTES_PER_DRAW["split"]  # no timeline in it


@pytest.mark.parametrize(("key", "date", "says"), [
    ("date", "9999-99-99", f"from {limits.FIRST_YEAR} to {limits.LAST_YEAR}"),
    ("date", "2024-99-99", "is not a real calendar date"),
    ("date", "2024-13", "is not a real calendar date"),
    ("date", "2023-02-29", "is not a real calendar date"),
    ("accessed", "1066-10-14", f"from {limits.FIRST_YEAR} to {limits.LAST_YEAR}"),
])
def test_a_source_dated_outside_the_calendar_is_refused(folder, refused, key, date, says):
    bibliography = copy.deepcopy(BIBLIOGRAPHY)
    bibliography["sources"]["test-source"][key] = date
    folder.write_yaml("sources.yaml", bibliography)
    refused("validate", says=(f"sources.yaml: sources.test-source.{key} = '{date}'", says))


@pytest.mark.parametrize("month", ["0000-01", "9999-12"])
def test_an_exchange_rate_from_year_0_or_9999_is_refused(folder, refused, month):
    folder.write_yaml("exchange_rates.yaml", {"rates": [
        {"from": month, "market_mmk_per_usd": 2100, "official_mmk_per_usd": 2100, "conversion_share": 0.0,
         "source": "test-source"}]})
    refused("split", "base", says=(f"exchange_rates.yaml: rates[0].from = '{month}'",
                                   f"from {limits.FIRST_YEAR} to {limits.LAST_YEAR}"))


# --- a data folder with links out of it ---------------------------------------------------------------------

@pytest.mark.parametrize("target", ["/dev/zero", "missing", "loop.yaml"])
def test_a_scenario_that_is_a_link_to_no_file_is_refused(folder, refused, target):
    (folder.root / "scenarios" / "loop.yaml").symlink_to(target)
    says = "scenarios/loop.yaml is a loop of symbolic links" if target == "loop.yaml" else \
        "scenarios/loop.yaml: the scenario file cannot be read ("
    refused("split", "loop", says=(says,))


def test_a_folder_linked_to_its_parent_does_not_loop(folder, run_cli):
    (folder.root / "scenarios" / "up").symlink_to(folder.root)
    code, out, err = run_cli("split", "base", "--json")
    assert code == 0 and '"data_hash"' in out, err


@pytest.mark.parametrize("name", ["sources.yaml", "timeline.yaml", "scenarios/base.yaml"])
def test_a_loop_of_links_in_the_data_folder_is_refused(folder, refused, name):
    link = folder.root / name
    link.unlink()
    link.symlink_to(link.name)
    refused("--data", str(folder.root), "timeline", says=(f"--data {folder.root}: {name} is a loop of symbolic links",))


# --- the command line itself ----------------------------------------------------------------------------------

def test_a_data_folder_name_too_long_is_refused(refused):
    refused("--data", "x" * 5000, "scenarios", says=("--data xxxx", "cannot be read (File name too long)"))


def test_an_output_name_too_long_is_refused(folder, refused, tmp_path):
    refused("export", "base", "--draws", "10", "--output", str(tmp_path / ("x" * 300 + ".csv")),
            says=("command line: --output = ", "cannot be written (File name too long)"))


def test_a_numeric_option_of_5000_digits_is_refused_in_a_line(refused):
    err = refused("split", "base", "--draws", "9" * 5000, says=("--draws: '99999", "(5,000 characters) is not a whole number"))
    assert len(err) < 1000


def test_a_render_parameter_is_bounded_as_a_data_file_is(refused, tmp_path):
    bomb = "[&a [1, 1, 1, 1, 1, 1, 1, 1, 1], " + ", ".join(
        f"&{c} [{', '.join([f'*{p}'] * 9)}]" for p, c in zip("abcd", "bcde")) + ", *e]"
    refused("render", "-p", f"levers={bomb}", "--output", str(tmp_path),
            says=("-p levers: [4]", "once its aliases (*name) are expanded"))
    refused("render", "-p", "draws=" + "9" * 5000, "--output", str(tmp_path),
            says=("-p draws = '9999", "a number of 5,000 characters"))


def test_a_file_name_with_a_control_character_is_listed_escaped(folder, run_cli, refused):
    folder.scenario("evil\x1b[2J", name="evil")
    code, out, _ = run_cli("scenarios")
    assert code == 2 and "'evil\\x1b[2J'  INVALID" in out and "\x1b" not in out
    err = refused("split", "nothing")
    assert "known: 'evil\\x1b[2J', base" in err and "\x1b" not in err


def test_the_render_memory_check_uses_the_timelines_own_length(monkeypatch):
    memory = int(30_000 * limits.BYTES_PER_DRAW["timeline report"] / limits.MEMORY_SHARE)
    monkeypatch.setattr(limits, "available_memory", lambda: memory)
    limits.check_render_draws([("timeline report", 20_000), ("scenario", 20_000)], 1)  # the shipped length: fits
    per_draw = limits.bytes_per_draw("timeline report", 756)
    assert per_draw == -(-limits.BYTES_PER_DRAW["timeline report"] * 756 // limits.MEASURED_TIMELINE_MONTHS)
    with pytest.raises(limits.LimitError, match=f"the timeline report takes {per_draw:,} bytes a draw"):
        limits.check_render_draws([("timeline report", 20_000), ("scenario", 20_000)], 1, months=756)
    limits.check_render_draws([("scenario", 20_000)], 1, months=756)  # a scenario report keeps no timeline


def test_a_huge_file_in_the_data_folder_is_not_read_whole_for_its_hash(folder, run_cli):
    with (folder.root / "notes.bin").open("wb") as f:
        f.truncate(10 * 1024**3)  # 10 GiB, sparse: reading it whole would take 10 GiB of memory
    start = time.perf_counter()
    code, out, err = run_cli("split", "base", "--json")
    assert code == 0 and '"data_hash"' in out, err
    assert time.perf_counter() - start < SECONDS


def test_a_huge_bibliography_is_refused_without_reading_it_whole(folder, refused):
    (folder.root / "sources.yaml").unlink()
    with (folder.root / "sources.yaml").open("wb") as f:
        f.truncate(10 * 1024**3)  # sparse: read whole, it would take 10 GiB
    refused("split", "base", says=("sources.yaml: the bibliography is 10.0 GiB", "at most 1.0 MiB"))
