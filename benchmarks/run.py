"""The speed suite: one command, its own input files, a table of medians and ratios.

    python benchmarks/run.py            # all; writes the tables of docs/performance.md
    python benchmarks/run.py --quick    # fewer runs (for a look, not for the docs)
    python benchmarks/run.py --also VENV  # add rows for the actcli of another virtualenv,
                                          # e.g. one with another Typer release


Needs hyperfine (Debian package) and mawk on PATH, and actcli installed in this Python's
environment; PyTorch is optional (`pip install torch==2.13.0`) for the API comparison.
Timings are ratios measured side by side in one run on one machine, never pass/fail tests.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
QUICK = "--quick" in sys.argv
# --also VENV: the same start-up and streaming commands with that virtualenv's actcli.
ALSO = Path(sys.argv[sys.argv.index("--also") + 1]) if "--also" in sys.argv else None
BIN = Path(sys.executable).parent
ACTCLI = str(BIN / "actcli") if (BIN / "actcli").exists() else "actcli"
PY = sys.executable

PLOT_FLOOR = """
import numpy as np
from matplotlib.figure import Figure
x = np.linspace(-5, 5, 1001)
fig = Figure(figsize=(11, 4.2))
a, b = fig.subplots(1, 2)
a.plot(x, np.tanh(x))
b.plot(x, 1 - np.tanh(x) ** 2)
fig.savefig("{out}", dpi=150)
"""


ROUNDS = 3
PYDANTIC_FLOOR = "import numpy, typer; from pydantic import TypeAdapter; TypeAdapter(str).validate_python(chr(120))"


def hyperfine(commands: dict[str, str], runs: int, shell: bool = False) -> dict[str, float]:
    """Median seconds per command over all its runs, taken in ROUNDS hyperfine invocations
    with the commands in a rotated order each time: on a shared machine the load drifts,
    and a command measured only while it was high would look slower than it is."""
    names = list(commands)
    times: dict[str, list[float]] = {name: [] for name in names}
    per_round = max(1, -(-runs // ROUNDS))
    for r in range(ROUNDS):
        order = names[r % len(names):] + names[: r % len(names)]
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            args = ["hyperfine", "--warmup", "2", "--runs", str(per_round), "--export-json", out.name, "--style", "none"]
            args += [] if shell else ["-N"]
            for name in order:
                args += ["--command-name", name, commands[name]]
            subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for result in json.loads(Path(out.name).read_text())["results"]:
                times[result["command"]] += [float(t) for t in result["times"]]
    return {name: float(np.median(times[name])) for name in names}


def make_inputs() -> dict[str, Path]:
    DATA.mkdir(parents=True, exist_ok=True)
    files = {}
    rng = np.random.default_rng(7)
    for label, n in (("1M", 1_000_000), ("10M", 10_000_000)):
        path = DATA / f"normal_{label}.txt"
        if not path.exists():
            with path.open("w") as f:
                for start in range(0, n, 1_000_000):  # full precision, one per line
                    x = rng.standard_normal(min(1_000_000, n - start)) * 4.0
                    f.write("\n".join(map(repr, x.tolist())) + "\n")
        files[label] = path
    # The same million numbers as a Windows file and as CSV rows: other shapes of input
    # must not fall off the fast path.
    text = files["1M"].read_bytes()
    for label, shape in (("1M CRLF", lambda t: t.replace(b"\n", b"\r\n")),
                         ("1M CSV", _rows_of_four)):
        path = DATA / f"normal_{label.replace(' ', '_')}.txt"
        if not path.exists():
            path.write_bytes(shape(text))
        files[label] = path
    rows = DATA / "normal_rows_of_4.txt"  # 1M vectors for softmax, from the 10M numbers
    if not rows.exists():
        with files["10M"].open("rb") as f:
            rows.write_bytes(_rows_of_four(b"".join(next(f) for _ in range(4_000_000)), sep=b" "))
    files["rows"] = rows
    return files


def _rows_of_four(text: bytes, sep: bytes = b",") -> bytes:
    lines = text.split()
    return b"".join(sep.join(lines[i:i + 4]) + b"\n" for i in range(0, len(lines), 4))


MAWK_SOFTMAX = ("{m=$1; for(i=2;i<=NF;i++) if($i>m) m=$i; s=0; for(i=1;i<=NF;i++){e[i]=exp($i-m); s+=e[i]};"
                " for(i=1;i<=NF;i++) printf \"%.17g%s\", e[i]/s, (i<NF?\" \":\"\\n\")}")


def peak_kib(command: str) -> int:
    done = subprocess.run(["/usr/bin/time", "-f", "%M", "bash", "-c", command], capture_output=True, text=True, check=True)
    return int(done.stderr.strip().splitlines()[-1])


def check_exact(path: Path) -> bool:
    """The streamed output reads back to exactly what the API computes."""
    import actcli

    out = subprocess.run([ACTCLI, "eval", "sigmoid", "-"], stdin=path.open("rb"), capture_output=True, check=True).stdout
    got = np.array(out.split(), dtype=np.float64)
    x = np.array(path.read_bytes().split(), dtype=np.float64)
    return bool(np.array_equal(got, actcli.get("sigmoid")(x)))


def startup(runs: int) -> list[tuple[str, float, float]]:
    cmds = {
        "python -c pass": f"{PY} -c pass",
        "floor: import numpy, typer": f"{PY} -c 'import numpy, typer'",
        # Typer 0.29 and later convert each option's value through a pydantic TypeAdapter.
        "import numpy, typer, pydantic; one TypeAdapter": f"{PY} -c '{PYDANTIC_FLOOR}'",
        "actcli eval relu 1 -2 3": f"{ACTCLI} eval relu 1 -2 3",
        "actcli grad gelu 0.5": f"{ACTCLI} grad gelu 0.5",
        "actcli list": f"{ACTCLI} list",
        "actcli info gelu": f"{ACTCLI} info gelu",
    }
    if ALSO is not None:
        cmds[f"actcli eval relu 1 -2 3 ({_also_label()})"] = f"{ALSO / 'bin' / 'actcli'} eval relu 1 -2 3"
        cmds[f"floor: import numpy, typer ({_also_label()})"] = f"{ALSO / 'bin' / 'python'} -c 'import numpy, typer'"
    med = hyperfine(cmds, runs)
    floor = med["floor: import numpy, typer"]
    return [(name, t, t / floor) for name, t in med.items()]


def _also_label() -> str:
    """'Typer 0.28.0': the Typer release of the --also virtualenv."""
    python = ALSO / "bin" / "python"  # type: ignore[operator]
    code = "from importlib.metadata import version; print(version('typer'))"
    return "Typer " + subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def streaming(files: dict[str, Path], runs: int) -> list[tuple[str, float, float]]:
    rows = []
    for label in ("1M", "10M"):
        f = files[label]
        cmds = {
            f"mawk sigmoid, {label} lines": f"mawk '{{printf \"%.17g\\n\", 1/(1+exp(-$1))}}' {f} > /dev/null",
            f"actcli eval sigmoid -, {label} lines": f"{ACTCLI} eval sigmoid - < {f} > /dev/null",
            f"actcli eval gelu -, {label} lines": f"{ACTCLI} eval gelu - < {f} > /dev/null",
        }
        if label == "1M" and ALSO is not None:
            cmds[f"actcli eval sigmoid -, 1M lines ({_also_label()})"] = f"{ALSO / 'bin' / 'actcli'} eval sigmoid - < {f} > /dev/null"
        if label == "1M":
            cmds["the same numbers as CRLF lines"] = f"{ACTCLI} eval sigmoid - < {files['1M CRLF']} > /dev/null"
            cmds["the same numbers as CSV rows of 4"] = f"{ACTCLI} eval sigmoid - < {files['1M CSV']} > /dev/null"
        med = hyperfine(cmds, runs if label == "1M" else max(2, runs // 3), shell=True)
        base = med[f"mawk sigmoid, {label} lines"]
        rows += [(name, t, t / base) for name, t in med.items()]
    cmds = {  # vectors, one per line
        "mawk softmax, 1M rows of 4": f"mawk '{MAWK_SOFTMAX}' {files['rows']} > /dev/null",
        "actcli eval softmax -, 1M rows of 4": f"{ACTCLI} eval softmax - < {files['rows']} > /dev/null",
    }
    med = hyperfine(cmds, max(2, runs // 3), shell=True)
    base = med["mawk softmax, 1M rows of 4"]
    return rows + [(name, t, t / base) for name, t in med.items()]


def plotting(runs: int) -> list[tuple[str, float, float]]:
    tmp = Path(tempfile.mkdtemp())
    script = tmp / "floor.py"
    script.write_text(PLOT_FLOOR.format(out=tmp / "floor.png"))
    with_pyplot = tmp / "floor_pyplot.py"
    with_pyplot.write_text("import matplotlib.pyplot\n" + PLOT_FLOOR.format(out=tmp / "pyplot.png"))
    cmds = {
        "floor: matplotlib Figure, 2 panels, PNG": f"{PY} {script}",
        "the same, importing pyplot": f"{PY} {with_pyplot}",
        "actcli plot tanh --grad -o t.png": f"{ACTCLI} plot tanh --grad -o {tmp / 't.png'}",
    }
    med = hyperfine(cmds, runs)
    floor = med["floor: matplotlib Figure, 2 panels, PNG"]
    shutil.rmtree(tmp)
    return [(name, t, t / floor) for name, t in med.items()]


def tables(runs: int) -> list[tuple[str, float, float]]:
    """A million rows as a table (the first and last hundred and the count between) against
    the same as plain text: a table costs linear time."""
    grid = "--linspace -5 5 1000000"
    cmds = {f"actcli eval gelu {grid} -f plain": f"{ACTCLI} eval gelu {grid} -f plain > /dev/null",
            f"actcli eval gelu {grid} -f table": f"{ACTCLI} eval gelu {grid} -f table > /dev/null",
            "actcli eval gelu --linspace -5 5 10000 -f table": f"{ACTCLI} eval gelu --linspace -5 5 10000 -f table > /dev/null"}
    return _against(cmds, f"actcli eval gelu {grid} -f plain", runs)


def statistics(runs: int) -> list[tuple[str, float, float]]:
    """actcli stats: whole commands, and what they take beyond a plain command's start-up."""
    cmds = {
        "start-up: actcli list -f plain": f"{ACTCLI} list -f plain",
        "actcli stats relu": f"{ACTCLI} stats relu",
        "actcli stats gelu": f"{ACTCLI} stats gelu",
        "actcli stats gelu --sigma-w2 2 --sigma-b2 0.1": f"{ACTCLI} stats gelu --sigma-w2 2 --sigma-b2 0.1",
        "actcli stats tanh --critical (11 sigma_b2)": f"{ACTCLI} stats tanh --critical",
        "actcli stats gelu --critical (11 sigma_b2)": f"{ACTCLI} stats gelu --critical",
    }
    med = hyperfine(cmds, runs)
    floor = med["start-up: actcli list -f plain"]
    return [(name, t, t - floor) for name, t in med.items()]


def kernel_inputs() -> dict[str, Path]:
    """1M and 4M float32 points, and a float32 'kernel's' tanh-gelu at them (NumPy in
    float32, the textbook formula): what `actcli check` reads."""
    DATA.mkdir(parents=True, exist_ok=True)
    files = {}
    rng = np.random.default_rng(8)
    for label, n in (("1M", 1_000_000), ("4M", 4_000_000)):
        xs, rows = DATA / f"float32_{label}.txt", DATA / f"gelu_float32_{label}.txt"
        if not rows.exists():
            x = (rng.standard_normal(n) * 3).astype(np.float32)
            with np.errstate(all="ignore"):
                y = np.float32(0.5) * x * (np.float32(1) + np.tanh(np.float32(0.7978846) * (x + np.float32(0.044715) * x * x * x)))
            xs.write_text("\n".join(map(repr, x.astype(np.float64).tolist())) + "\n")
            rows.write_text("".join(f"{a!r} {b!r}\n" for a, b in zip(x.astype(np.float64).tolist(), y.astype(np.float64).tolist())))
        files[f"x {label}"], files[f"rows {label}"] = xs, rows
    points = DATA / "normal_1000.txt"
    if not points.exists():
        points.write_text("\n".join(map(repr, (rng.standard_normal(1000) * 3).tolist())) + "\n")
    files["1000"] = points
    return files


def dtypes(runs: int) -> tuple[list[tuple[str, float, float]], list[str]]:
    """Exhaustive tables of 16-bit formats, check against eval over the same points, and
    the cost of --exact per point."""
    files = kernel_inputs()
    base = "actcli eval gelu(tanh) --dtype fp32 - (1M float32 lines)"
    cmds = {
        base: f"{ACTCLI} eval 'gelu(tanh)' --dtype fp32 - < {files['x 1M']} > /dev/null",
        "actcli check gelu(tanh) --dtype fp32 (1M rows)": f"{ACTCLI} check 'gelu(tanh)' --dtype fp32 < {files['rows 1M']} > /dev/null",
        "actcli eval gelu --all --dtype bf16 -x -f csv": f"{ACTCLI} eval gelu --all --dtype bf16 -x -f csv > /dev/null",
        "actcli grad gelu --all --dtype bf16 -x -f csv": f"{ACTCLI} grad gelu --all --dtype bf16 -x -f csv > /dev/null",
        "actcli eval gelu --all --dtype fp16 -x -f csv": f"{ACTCLI} eval gelu --all --dtype fp16 -x -f csv > /dev/null",
        "actcli eval tanhshrink --all --dtype fp16": f"{ACTCLI} eval tanhshrink --all --dtype fp16 > /dev/null",
        "actcli eval gelu - (1000 float64 lines)": f"{ACTCLI} eval gelu - < {files['1000']} > /dev/null",
        "actcli eval gelu --exact - (1000 lines)": f"{ACTCLI} eval gelu --exact - < {files['1000']} > /dev/null",
        "actcli grad gelu --exact - (1000 lines)": f"{ACTCLI} grad gelu --exact - < {files['1000']} > /dev/null",
        "actcli eval tanh --exact - (1000 lines)": f"{ACTCLI} eval tanh --exact - < {files['1000']} > /dev/null",
    }
    rows = _against(cmds, base, runs)
    med = {name: t for name, t, _ in rows}
    mem = [peak_kib(f"{ACTCLI} check 'gelu(tanh)' --dtype fp32 < {files[f'rows {n}']} > /dev/null") for n in ("1M", "4M")]
    plain = med["actcli eval gelu - (1000 float64 lines)"]
    notes = [f"--exact costs {(med['actcli eval gelu --exact - (1000 lines)'] - plain):.2f} ms per gelu value, "
             f"{(med['actcli grad gelu --exact - (1000 lines)'] - plain):.2f} ms per gelu derivative and "
             f"{(med['actcli eval tanh --exact - (1000 lines)'] - plain):.2f} ms per tanh value "
             "(the time beyond plain eval of the same 1000 points, in ms per point).",
             f"Peak memory of check: {mem[0] / 1024:.0f} MiB for 1M rows, {mem[1] / 1024:.0f} MiB for 4M rows."]
    return rows, notes


def formulas(files: dict[str, Path], runs: int) -> list[tuple[str, float, float]]:
    """A formula against the built-in function it restates, over the same million lines,
    and the start-up of each."""
    base = "actcli eval silu - (1M lines)"
    cmds = {
        base: f"{ACTCLI} eval silu - < {files['1M']} > /dev/null",
        "actcli eval 'x*sigmoid(x)' - (1M lines)": f"{ACTCLI} eval 'x*sigmoid(x)' - < {files['1M']} > /dev/null",
        "actcli eval 'x*tanh(softplus(x))' - (1M lines)": f"{ACTCLI} eval 'x*tanh(softplus(x))' - < {files['1M']} > /dev/null",
        "actcli grad 'x*sigmoid(x)' - (1M lines)": f"{ACTCLI} grad 'x*sigmoid(x)' - < {files['1M']} > /dev/null",
        "actcli eval silu 1": f"{ACTCLI} eval silu 1 > /dev/null",
        "actcli eval 'x*sigmoid(x)' 1": f"{ACTCLI} eval 'x*sigmoid(x)' 1 > /dev/null",
        "actcli grad tanh --order 2 - (1000 lines)": f"{ACTCLI} grad tanh --order 2 - < {kernel_inputs()['1000']} > /dev/null",
        "actcli grad tanh --order 4 - (1000 lines)": f"{ACTCLI} grad tanh --order 4 - < {kernel_inputs()['1000']} > /dev/null",
    }
    return _against(cmds, base, runs)


def _against(cmds: dict[str, str], base: str, runs: int) -> list[tuple[str, float, float]]:
    """Shell commands side by side: (name, median s, ratio to the base command)."""
    med = hyperfine(cmds, runs, shell=True)
    return [(name, t, t / med[base]) for name, t in med.items()]


def _naive() -> dict[str, object]:
    """Textbook NumPy one-liners (what a seed article would write)."""
    from math import sqrt

    def erf(x: np.ndarray) -> np.ndarray:  # no erf in NumPy: Abramowitz-Stegun 7.1.26, as tutorials do
        t = 1 / (1 + 0.3275911 * np.abs(x))
        y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * np.exp(-x * x)
        return np.sign(x) * y

    return {
        "relu": lambda x: np.maximum(x, 0), "sigmoid": lambda x: 1 / (1 + np.exp(-x)), "tanh": np.tanh,
        "softplus": lambda x: np.log1p(np.exp(x)), "elu": lambda x: np.where(x > 0, x, np.expm1(x)),
        "gelu": lambda x: 0.5 * x * (1 + erf(x / sqrt(2))), "silu": lambda x: x / (1 + np.exp(-x)),
        "mish": lambda x: x * np.tanh(np.log1p(np.exp(x))), "softsign": lambda x: x / (1 + np.abs(x)),
        "hardswish": lambda x: x * np.clip(x + 3, 0, 6) / 6, "logsigmoid": lambda x: -np.log1p(np.exp(-x)),
        "tanhshrink": lambda x: x - np.tanh(x), "selu": lambda x: 1.0507 * np.where(x > 0, x, 1.6733 * np.expm1(x)),
        "leaky_relu": lambda x: np.where(x > 0, x, 0.01 * x), "hardtanh": lambda x: np.clip(x, -1, 1),
    }


def _torch() -> dict[str, object]:
    try:
        import torch
        import torch.nn.functional as F  # noqa: N812
    except ImportError:
        return {}
    torch.set_num_threads(1)
    return {
        "relu": F.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh, "softplus": F.softplus, "elu": F.elu,
        "gelu": F.gelu, "silu": F.silu, "mish": F.mish, "softsign": F.softsign, "hardswish": F.hardswish,
        "logsigmoid": F.logsigmoid, "tanhshrink": F.tanhshrink, "selu": F.selu, "leaky_relu": F.leaky_relu,
        "hardtanh": F.hardtanh,
    }


def _best(f, *args: object, repeat: int) -> float:  # noqa: ANN001
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        f(*args)
        best = min(best, time.perf_counter() - t)
    return best


def throughput(repeat: int) -> list[tuple[str, float, float | None, float | None]]:
    import actcli

    x = np.random.default_rng(3).standard_normal(10_000_000) * 4.0
    naive, torch_fs = _naive(), _torch()
    tx = None
    if torch_fs:
        import torch

        tx = torch.from_numpy(x.copy())
    rows = []
    for name in naive:
        act = actcli.get(name)
        ours = _best(act, x, repeat=repeat)
        fast = _best(act.grad, x, repeat=repeat)
        with np.errstate(all="ignore"):
            n = _best(naive[name], x, repeat=repeat)
        t = _best(torch_fs[name], tx, repeat=repeat) if name in torch_fs else None
        rows.append((name, ours, ours / t if t else None, ours / n, fast))
    return rows


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import version

    return (f"{cpu}, {os.cpu_count()} cores, Linux {platform.release()}, Python {platform.python_version()}, "
            f"NumPy {np.__version__}, Typer {version('typer')}, orjson {version('orjson')}")


def table(rows: list[tuple], head: tuple[str, ...]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join([" --- "] + [" ---: "] * (len(head) - 1)) + "|"]
    for r in rows:
        cells = [r[0]] + [("—" if v is None else f"{v:.3f}") for v in r[1:]]
        out.append("| " + " | ".join(cells) + " |")
    return out


def update_docs(text: str) -> None:
    """The measured part of docs/performance.md, between its markers: the prose after them
    (how to read the figures, what makes actcli fast) is written by hand."""
    path = ROOT / "docs" / "performance.md"
    body = path.read_text() if path.exists() else "# Performance\n\n<!-- measured -->\n<!-- /measured -->\n"
    start, end = "<!-- measured -->\n", "<!-- /measured -->"
    i, j = body.index(start) + len(start), body.index(end)
    path.write_text(body[:i] + text.split("\n", 2)[2] + body[j:])


def installed_like_a_user() -> None:
    """Bytecode for the actcli being timed, as `pip install .` leaves it: an editable
    install, or PYTHONDONTWRITEBYTECODE, would otherwise compile its source at every
    start (15 ms here)."""
    import actcli

    subprocess.run([PY, "-m", "compileall", "-q", str(Path(actcli.__file__).parent)], check=True)


def main() -> int:
    for tool in ("hyperfine", "mawk"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed: apt-get install {tool}")
    installed_like_a_user()
    runs = 5 if QUICK else 20
    files = make_inputs()
    report = ["# Performance", "", f"Measured by `python benchmarks/run.py` on {time.strftime('%Y-%m-%d')}:",
              f"{machine()}.", ("Medians of hyperfine runs; ratios are against the row named as the base, all measured"
                                f" side by side ({ROUNDS} rounds, the commands in a rotated order each time)."), ""]
    report += ["## Start-up (stdout piped)", "", *table(startup(runs), ("command", "median s", "x floor")), ""]
    exact = check_exact(files["1M"])
    mem1 = peak_kib(f"{ACTCLI} eval sigmoid - < {files['1M']} > /dev/null")
    mem10 = peak_kib(f"{ACTCLI} eval sigmoid - < {files['10M']} > /dev/null")
    report += ["## Streaming stdin to stdout", "", *table(streaming(files, max(3, runs // 2)), ("command", "median s", "x mawk")),
               "", f"Output exact to the last digit (reads back to the API's values): {'yes' if exact else 'NO'}.",
               f"Peak memory: {mem1 / 1024:.0f} MiB for 1M lines, {mem10 / 1024:.0f} MiB for 10M lines.", ""]
    report += ["## Plot", "", *table(plotting(max(3, runs // 2)), ("command", "median s", "x floor")), ""]
    report += ["## Tables", "", *table(tables(max(3, runs // 4)), ("command", "median s", "x plain")), ""]
    report += ["## Statistics (`actcli stats`)", "",
               *table(statistics(max(3, runs // 4)), ("command", "median s", "s after start-up")), ""]
    kernel_rows, kernel_notes = dtypes(max(3, runs // 4))
    report += ["## Dtypes, `--all`, `--exact` and `check`", "",
               *table(kernel_rows, ("command", "median s", "x eval 1M float32")), "", *kernel_notes, ""]
    report += ["## Formulas and higher orders", "",
               *table(formulas(files, max(3, runs // 4)), ("command", "median s", "x eval silu")), ""]
    rows = throughput(3 if QUICK else 5)
    report += ["## Python API on 10^7 float64 values (best of several, one thread)", "",
               *table(rows, ("function", "actcli s", "x PyTorch", "x naive NumPy", "actcli grad s")), ""]
    text = "\n".join(report) + "\n"
    print(text)
    if not QUICK:
        update_docs(text)
        print("wrote docs/performance.md (the README's Performance summary is written by hand)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
