"""What only a real process shows: the installed command, exit codes, pipes, signals."""

from __future__ import annotations

import os
import pty
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

# The console script beside this interpreter (a venv's bin/), else on PATH. The README's
# test command installs it; its absence is a failure, not a reason to skip.
_BESIDE = Path(sys.executable).with_name("actcli")
ACTCLI = str(_BESIDE) if _BESIDE.exists() else shutil.which("actcli") or ""


@pytest.fixture(autouse=True)
def _installed() -> None:
    assert ACTCLI, "the actcli command is not installed: pip install -e '.[test]'"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ACTCLI, *args], input=stdin, capture_output=True, text=True, timeout=60)


def test_installed_command_and_exit_codes() -> None:
    ok = run("eval", "relu", "1", "-2", "3")
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, "1.0\n0.0\n3.0\n", "")
    bad = run("eval", "relu", "x")
    assert bad.returncode == 2 and bad.stderr == "actcli: error: not a number: 'x' (argument 1)\n"
    assert run("eval", "relu", "--formt").returncode == 2


def test_python_dash_m() -> None:
    r = subprocess.run([sys.executable, "-m", "actcli", "--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.startswith("actcli ")


def test_pipes_compose_without_loss() -> None:
    """`eval f | eval identity` reproduces eval f exactly: plain output round-trips."""
    data = "0.1\n-3\n1e-300\n-7.25e-5\n"
    direct = run("eval", "sigmoid", "-", stdin=data).stdout
    piped = subprocess.run(f"'{ACTCLI}' eval sigmoid - | '{ACTCLI}' eval identity", shell=True, input=data,
                           capture_output=True, text=True, timeout=60)
    assert piped.returncode == 0 and piped.stdout == direct and len(direct.splitlines()) == 4


@pytest.mark.parametrize("args", ["eval relu -", "eval softmax -", "grad tanh -x -f csv -",
                                  "eval relu --linspace 0 1 3000000"])
def test_broken_pipe_is_quiet_and_no_failure(args: str, tmp_path: Path) -> None:
    """A reader that leaves early (`| head -1`) ends the command quietly with exit 0, so
    that `set -o pipefail` scripts do not fail, wherever the write that noticed it was."""
    numbers = tmp_path / "numbers.txt"
    numbers.write_text("\n".join(str(i % 97) for i in range(300_000)) + "\n")
    command = f"set -o pipefail; '{ACTCLI}' {args} < '{numbers}' | head -1"
    r = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120)
    assert (r.returncode, r.stderr, r.stdout.count("\n")) == (0, "", 1), r.stderr


def test_output_starts_before_input_ends() -> None:
    with subprocess.Popen([ACTCLI, "eval", "relu"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as p:
        assert p.stdin is not None and p.stdout is not None
        p.stdin.write("-1\n2\n")
        p.stdin.flush()
        assert p.stdout.readline() == "0.0\n"  # answered while stdin is still open
        p.stdin.close()
        assert p.stdout.read() == "2.0\n" and p.wait(timeout=60) == 0


def _sigint_default() -> None:
    # A background job inherits SIGINT as ignored (as CI's may); a terminal's Ctrl-C is not.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_exits_130_without_traceback() -> None:
    with subprocess.Popen([ACTCLI, "eval", "relu", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, preexec_fn=_sigint_default) as p:
        assert p.stdin is not None and p.stdout is not None
        p.stdin.write("1\n")
        p.stdin.flush()
        assert p.stdout.readline() == "1.0\n"  # running, and now blocked reading stdin
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=60)
    assert p.returncode == 130 and "Traceback" not in err


def test_terminal_stdin_without_values_is_usage_not_a_hang() -> None:
    master, slave = pty.openpty()
    try:
        r = subprocess.run([ACTCLI, "eval", "relu"], stdin=slave, capture_output=True, text=True, timeout=60)
    finally:
        os.close(master)
        os.close(slave)
    assert r.returncode == 2 and "no input" in r.stderr


def test_installed_plot_command(tmp_path: Path) -> None:
    """The plotting package is installed too (and matplotlib draws in a real process)."""
    out = tmp_path / "t.png"
    r = run("plot", "tanh", "--grad", "-o", str(out))
    assert (r.returncode, r.stdout, r.stderr) == (0, f"{out}\n", "") and out.read_bytes()[:4] == b"\x89PNG"
    r = run("plot", "relu", "--terminal")
    assert r.returncode == 0 and "relu" in r.stdout


def test_shell_completion_completes_function_names() -> None:
    env = {**os.environ, "_ACTCLI_COMPLETE": "complete_bash", "COMP_WORDS": "actcli eval gel", "COMP_CWORD": "2"}
    r = subprocess.run([ACTCLI], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and {"gelu", "gelu_new", "gelu_10"} <= set(r.stdout.split())
    script = subprocess.run([ACTCLI], env={**os.environ, "_ACTCLI_COMPLETE": "source_bash"},
                            capture_output=True, text=True, timeout=60).stdout
    assert "_actcli_completion" in script


@pytest.mark.parametrize("args", [["eval", "relu", "1", "-2", "3"], ["grad", "gelu", "0.5"], ["list"],
                                  ["info", "gelu"], ["eval", "softmax", "1", "2", "-f", "json"],
                                  ["stats", "relu", "--critical", "--sigma-b2", "0"],
                                  ["eval", "gelu", "0.1", "-1e-30", "--dtype", "bf16", "-x"],
                                  ["eval", "gelu", "--all", "--dtype", "fp8_e4m3", "-f", "json"],
                                  ["grad", "softmax", "1", "2", "--dtype", "fp8_e5m2"]])
def test_text_commands_never_import_matplotlib_or_rich_when_piped(args: list[str]) -> None:
    """Import cost is part of the design: pictures and tables load their libraries only to
    draw, and bfloat16 and float8 go without ml_dtypes (0.44 s to import in 0.7.0).
    (pydantic is not on the list: Typer 0.29 and later load it to convert every option's
    value, docs/performance.md.)"""
    code = ("import sys; from actcli.cli.main import main; sys.argv = ['actcli', *sys.argv[1:]]\n"
            "main()\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'rich', 'scipy', 'sympy', 'ml_dtypes'}),"
            " file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stderr.strip() == "[]", r.stderr


def test_import_actcli_is_light_and_its_names_load_on_use() -> None:
    code = ("import sys, actcli; light = 'numpy' not in sys.modules\n"
            "print(light, actcli.Activation.__name__, actcli.get('relu')([-1.0]).tolist(), 'Definition' in dir(actcli))\n"
            "try:\n    actcli.nope\nexcept AttributeError as e:\n    print(e)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stdout.splitlines() == ["True Activation [0.0] True", "module 'actcli' has no attribute 'nope'"], r.stderr


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc")
@pytest.mark.parametrize(("setting", "threads"), [(None, 1), ("2", 2)])
def test_the_command_starts_no_blas_threads(setting: str | None, threads: int) -> None:
    """No command does linear algebra; OpenBLAS's idle workers would spin on the core the
    stdin reader needs. A user's own OPENBLAS_NUM_THREADS is kept."""
    code = ("import os, sys; from actcli.cli.main import main; sys.argv = ['actcli', 'eval', 'relu', '1']\n"
            "main()\n"
            "print(len(os.listdir('/proc/self/task')), file=sys.stderr)")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if setting:
        env["OPENBLAS_NUM_THREADS"] = setting
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 0 and r.stderr.strip() == str(threads), r.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_an_error_not_a_bug() -> None:
    for args in (["eval", "relu", "1"], ["list"], ["info", "gelu"]):
        with open("/dev/full", "w") as full:
            r = subprocess.run([ACTCLI, *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
        assert (r.returncode, r.stderr) == (1, "actcli: error: could not write the output: No space left on device\n")


@pytest.mark.parametrize(("redirect", "code", "err"), [
    ("eval relu 1 >&-", 1, "actcli: error: standard output is closed\n"),
    ("list >&-", 1, "actcli: error: standard output is closed\n"),
    ("eval relu - <&-", 1, "actcli: error: standard input is closed\n"),
    ("eval softmax - <&-", 1, "actcli: error: standard input is closed\n"),
    ("eval relu 1 2>&-", 0, ""),
    ("eval relu x 2>&-", 2, ""),
])
def test_a_closed_standard_stream_is_named_not_a_traceback(redirect: str, code: int, err: str) -> None:
    r = subprocess.run(["bash", "-c", f"'{ACTCLI}' {redirect}"], capture_output=True, text=True, timeout=60)
    assert (r.returncode, r.stderr) == (code, err)


@pytest.mark.parametrize(("setting", "handlers_run"), [(None, False), ("0", False), ("1", True)])
def test_normal_exit_on_request(setting: str | None, handlers_run: bool) -> None:
    """The command skips the interpreter's teardown, exit handlers included, unless
    ACTCLI_NORMAL_EXIT asks for a normal exit (for coverage tools and atexit hooks)."""
    code = ("import atexit, sys; from actcli.cli.main import run\n"
            "atexit.register(lambda: print('atexit ran', file=sys.stderr))\n"
            "sys.argv = ['actcli', 'eval', 'relu', '-2']\nrun()")
    env = {k: v for k, v in os.environ.items() if k != "ACTCLI_NORMAL_EXIT"}
    if setting is not None:
        env["ACTCLI_NORMAL_EXIT"] = setting
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert (r.returncode, r.stdout) == (0, "0.0\n")
    assert ("atexit ran" in r.stderr) == handlers_run, r.stderr


@pytest.mark.parametrize(("umask", "mode"), [("022", 0o644), ("077", 0o600)])
def test_a_plot_file_gets_ordinary_permissions(tmp_path: Path, umask: str, mode: int) -> None:
    """Written to a temporary file and renamed into place, yet with the mode any new file
    gets under the user's umask."""
    out = tmp_path / "p.png"
    r = subprocess.run(["bash", "-c", f"umask {umask} && '{ACTCLI}' plot relu -o '{out}'"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0 and (out.stat().st_mode & 0o777) == mode and os.listdir(tmp_path) == ["p.png"]


def _help_examples() -> list:
    from actcli.cli.app import EXAMPLES

    return [pytest.param(example, id=example) for examples in EXAMPLES.values() for example in examples]


@pytest.mark.slow
@pytest.mark.parametrize("example", _help_examples())
def test_every_help_example_works(example: str, tmp_path: Path) -> None:
    """What --help shows as an example runs, with the installed command, and exits 0."""
    r = subprocess.run(["bash", "-c", "set -o pipefail; " + example], cwd=tmp_path, capture_output=True, text=True,
                       timeout=120, env={**os.environ, "PATH": f"{Path(ACTCLI).parent}{os.pathsep}{os.environ['PATH']}"})
    assert (r.returncode, r.stderr) == (0, ""), r.stderr
    assert r.stdout or list(tmp_path.iterdir())


@pytest.mark.parametrize("delay", [0.005, 0.01, 0.03, 0.06, 0.1, 0.2])
def test_ctrl_c_while_starting_is_no_traceback(delay: float) -> None:
    """Ctrl-C while NumPy and Typer load (the first tenths of a second) ends the command
    as Ctrl-C later does: exit 130, never a traceback. (The signal is sent from 5 ms after
    the console script has imported actcli.cli.main: a Ctrl-C inside the interpreter's own
    start-up, or in the instant before run() enters its first `try`, is Python's to report.)"""
    import time

    code = ("import sys; from actcli.cli.main import run; sys.stderr.write('started\\n'); sys.stderr.flush()\n"
            "sys.argv = ['actcli', 'eval', 'relu', '-']; run()")
    with subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, preexec_fn=_sigint_default) as p:
        assert p.stderr is not None and p.stderr.readline() == "started\n"
        time.sleep(delay)
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=60)
    assert p.returncode == 130 and "Traceback" not in err, err


@pytest.mark.parametrize("trial", range(4))
def test_ctrl_c_mid_stream_leaves_whole_lines(trial: int, tmp_path: Path) -> None:
    """Interrupted while writing a large block to a slow reader, the output still ends
    with a whole line: a number cut short would read downstream as another number."""
    import threading
    import time

    numbers = tmp_path / "numbers.txt"
    numbers.write_text("".join(f"-{i}.123456789012345\n" for i in range(400_000)))
    with numbers.open("rb") as source, subprocess.Popen(
            [ACTCLI, "eval", "identity", "-"], stdin=source, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            preexec_fn=_sigint_default) as p:
        assert p.stdout is not None
        received: list[bytes] = []

        def read_slowly() -> None:
            while piece := p.stdout.read(4096):  # type: ignore[union-attr]
                received.append(piece)
                time.sleep(0.0005)

        reader = threading.Thread(target=read_slowly)
        reader.start()
        while sum(map(len, received)) < 200_000 + trial * 150_000:
            time.sleep(0.005)
        p.send_signal(signal.SIGINT)
        reader.join(timeout=60)
        p.wait(timeout=60)
    out = b"".join(received)
    lines = out.decode().splitlines()
    assert p.returncode == 130 and out.endswith(b"\n") and 0 < len(lines) < 400_000
    assert [float(v) for v in lines] == [float(f"-{i}.123456789012345") for i in range(len(lines))]


def test_input_without_newlines_is_refused_not_read_forever() -> None:
    """/dev/zero (or any binary file) has no line end: refused past 16 MiB, at once."""
    r = subprocess.run(["bash", "-c", f"'{ACTCLI}' eval relu < /dev/zero"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 2 and "stdin line 1 is longer than 16 MiB" in r.stderr and r.stderr.count("\n") == 1


@pytest.mark.slow
def test_a_huge_grid_streams_in_bounded_memory() -> None:
    """1e8 points under a 3 GB address-space limit: once an orjson crash (exit 139)."""
    r = subprocess.run(["bash", "-c", f"ulimit -v 3000000; '{ACTCLI}' eval relu --linspace 0 1 100000000 | tail -1"],
                       capture_output=True, text=True, timeout=600)
    assert (r.returncode, r.stdout, r.stderr) == (0, "1.0\n", "")


@pytest.mark.parametrize(("env", "args", "message"), [
    ({"PYTHONIOENCODING": "ascii"}, ["info", "gelu"], "the output's encoding (ascii) cannot write '\\u2014'"),
    ({"MPLBACKEND": "nonsense"}, ["plot", "relu", "-o", "/dev/null/x.png"], "does not know MPLBACKEND='nonsense'"),
])
def test_environments_python_or_matplotlib_refuse_are_named(env: dict[str, str], args: list[str], message: str) -> None:
    r = subprocess.run([ACTCLI, *args], capture_output=True, text=True, timeout=60, env={**os.environ, **env})
    assert r.returncode in (1, 2) and message in r.stderr and r.stderr.count("\n") == 1, r.stderr


@pytest.mark.parametrize("columns", [60, 200])
def test_tables_take_the_real_terminal_width(columns: int) -> None:
    """In a pseudo-terminal of 200 columns, without COLUMNS exported (the usual case in
    bash and zsh), tables are as wide as the terminal, not 80."""
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    try:
        p = subprocess.Popen([ACTCLI, "list", "--no-color"], stdin=slave, stdout=slave, stderr=slave, env=env)
        os.close(slave)
        chunks = []
        while True:
            try:
                piece = os.read(master, 65536)
            except OSError:  # the terminal closed with the process
                break
            if not piece:
                break
            chunks.append(piece)
        assert p.wait(timeout=60) == 0
    finally:
        os.close(master)
    lines = b"".join(chunks).decode().splitlines()
    assert max(len(line.rstrip("\r")) for line in lines) == columns


@pytest.mark.parametrize("delay", [0.3, 0.6, 0.9, 1.2, 1.6])
def test_sigterm_while_plotting_leaves_no_partial_file(delay: float, tmp_path: Path) -> None:
    """kill during a slow plot (a large PNG) leaves neither a .part file nor a partial
    picture: the temporary file is removed on the way out."""
    import time

    out = tmp_path / "big.png"
    with subprocess.Popen([ACTCLI, "plot", "gelu", "mish", "--grad", "--dpi", "600", "-o", str(out)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as p:
        time.sleep(delay)
        p.terminate()
        _, err = p.communicate(timeout=60)
    left = sorted(f.name for f in tmp_path.iterdir())
    assert left in ([], ["big.png"]) and "Traceback" not in err, (left, err)
    if left:  # finished before the signal: a whole picture
        assert p.returncode == 0 and out.read_bytes()[:4] == b"\x89PNG"
    else:
        assert p.returncode in (143, -signal.SIGTERM)


@pytest.mark.parametrize(("stdin", "args"), [
    ("1" * 20_000 + "x\n", []),  # 97 s once: the number pattern backtracked
    ("1" * 40_000 + " x\n", []),
    (None, ["--", "1" * 20_000 + "x"]),
])
def test_a_long_bad_number_fails_at_once(stdin: str | None, args: list[str]) -> None:
    r = subprocess.run([ACTCLI, "eval", "relu", *args], input=stdin or "", capture_output=True, text=True, timeout=20)
    assert r.returncode == 2 and "not a number" in r.stderr and r.stderr.count("\n") == 1 and len(r.stderr) < 200


@pytest.mark.parametrize("limit", [450_000, 600_000, 800_000])
def test_json_under_a_memory_limit_is_whole_or_one_line(limit: int) -> None:
    """orjson dies (exit 139) when an allocation fails: a 2,000,000-number JSON result is
    encoded a slice at a time, so it is written whole, or refused with one line."""
    r = subprocess.run(["bash", "-c", f"ulimit -v {limit}; '{ACTCLI}' eval relu --linspace 0 1 2000000 -f json | wc -c"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and "Traceback" not in r.stderr and "Segmentation" not in r.stderr, r.stderr
    assert int(r.stdout) > 30_000_000 or r.stderr.startswith("actcli: error: out of memory"), r.stderr


def test_too_little_memory_to_start_is_one_line() -> None:
    """Under a limit too small for NumPy itself: one line, exit 1, no page of traceback."""
    r = subprocess.run(["bash", "-c", f"ulimit -v 50000; '{ACTCLI}' eval relu 1"], capture_output=True, text=True,
                       timeout=60)
    if r.returncode and "actcli: error" not in r.stderr:
        pytest.skip(f"this Python does not start under the limit: {r.stderr[:200]}")
    assert r.returncode == 1 and r.stderr.startswith("actcli: error: cannot load its libraries: ")
    assert r.stderr.count("\n") == 1, r.stderr


def test_a_terminal_plot_into_an_ascii_stream_says_so(tmp_path: Path) -> None:
    r = subprocess.run([ACTCLI, "plot", "tanh", "-t"], capture_output=True, text=True, timeout=60,
                       env={**os.environ, "PYTHONIOENCODING": "ascii"})
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "set PYTHONIOENCODING=utf-8" in r.stderr, r.stderr
