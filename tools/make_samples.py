"""Regenerate sample_outputs/ from the installed actcli: the one documented command is

    python tools/make_samples.py            # everything (text, terminal plot, PNGs)
    python tools/make_samples.py --text     # only the text samples (what the tests compare)

Text samples are the README's examples, each run through bash exactly as written and
saved as "$ command" followed by its output; the README's sample blocks are refreshed
from them. Pictures: every function the seed
articles discuss, with its derivative, two comparison plots and an edge of chaos.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "sample_outputs"

# The README's examples, in order. Each is run with stdout piped (so default formats are
# the pipeline ones) and NO_COLOR set; "-f table" shows what a terminal gets.
EXAMPLES = [
    "actcli eval relu 1 -2 3",
    "actcli grad tanh 0 1",
    "actcli eval 'leaky_relu(negative_slope=0.2)' -1e-3 -.5 nan inf -f table",
    "actcli grad relu -1 0 1 -f json",
    "actcli eval gelu -8 -20 -40 -x",
    "actcli grad sigmoid -40 40 -745 -x",
    "actcli eval softmax 1000 1000",
    "actcli grad softmax 1 2 3 -f table",
    "printf '1 2\\n3 4 5\\n' | actcli eval log_softmax",
    "seq -3 3 | actcli eval sigmoid -x -f csv",
    "seq -2 2 | actcli eval tanh | actcli eval tanhshrink -",
    "actcli eval gelu --linspace -3 3 7 -p approximate=tanh -f tsv -x",
    "actcli eval sigmoid 1e-5 20 --dtype float16",
    "actcli compare gelu 'gelu(tanh)' quick_gelu --grad -f table",
    "actcli compare relu leaky_relu elu --at -1 --at 0 --at 1 -f csv",
    "actcli compare relu gelu -f json",
    "actcli list --family vector",
    "actcli list gelu -f table",
    "actcli info leaky_relu",
    "actcli info softmax -f json",
    "actcli eval gelu_neww 1",
    "actcli eval relu 1 --formt json",
    "echo '1 2 x' | actcli eval relu",
    "actcli eval glu 1 2 3",
    "actcli eval 'celu(alpha=0)' 1",
    "actcli stats relu tanh selu -f table",
    "actcli stats tanh gelu --sigma-w2 1.5 --sigma-b2 0.1 -f table",
    "actcli stats tanh elu relu --critical --linspace 0 0.2 5 -f table",
]

SEED_FUNCTIONS = ["relu", "leaky_relu", "prelu", "elu", "selu", "celu", "gelu", "mish", "silu", "softplus",
                  "tanh", "softsign", "sigmoid", "softmax", "step", "identity"]
COMPARISONS = {
    "compare_rectifiers.png": ["relu", "leaky_relu(0.1)", "prelu", "elu", "selu", "celu(alpha=0.5)"],
    "compare_smooth_gates.png": ["gelu", "gelu(tanh)", "silu", "mish", "softplus", "quick_gelu"],
}
# actcli stats --critical: the edge of chaos, sigma_b2 from 0 to 1.
CRITICAL = {"edge_of_chaos.png": ["tanh", "elu", "selu", "gelu"]}


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "CLICOLOR_FORCE")}
    env.update(NO_COLOR="1", COLUMNS="100", LC_ALL="C.UTF-8")
    beside = Path(sys.executable).parent
    env["PATH"] = f"{beside}{os.pathsep}{env.get('PATH', '')}"
    return env


def run_example(command: str) -> str:
    """'$ command', then what it printed (stdout and stderr, as a terminal would show)."""
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, env=_env(), timeout=120)
    text = f"$ {command}\n{done.stdout}{done.stderr}"
    if "Traceback" in text:
        raise SystemExit(f"{command!r} crashed:\n{done.stderr}")
    if done.returncode:
        text += f"[exit {done.returncode}]\n"
    return text


def text_samples() -> dict[str, str]:
    files = {f"{i:02d}.txt": run_example(cmd) for i, cmd in enumerate(EXAMPLES, 1)}
    files["terminal_tanh.txt"] = run_example("actcli plot tanh --grad --terminal")
    return files


def write_text(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    for name, text in text_samples().items():
        (folder / name).write_text(text)


def write_pictures(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name in SEED_FUNCTIONS:
        subprocess.run(["actcli", "plot", name, "--grad", "-o", str(folder / f"{name}_grad.png")],
                       check=True, env=_env(), stdout=subprocess.DEVNULL)
    for filename, specs in COMPARISONS.items():
        subprocess.run(["actcli", "compare", *specs, "--grad", "-o", str(folder / filename)],
                       check=True, env=_env(), stdout=subprocess.DEVNULL)
    for filename, specs in CRITICAL.items():
        subprocess.run(["actcli", "stats", *specs, "--critical", "-o", str(folder / filename)],
                       check=True, env=_env(), stdout=subprocess.DEVNULL)


README = ROOT / "README.md"
_BLOCK = re.compile(r"(<!-- sample (\S+) -->\n```console\n)(.*?)(```\n)", re.S)


def readme_with_samples(readme: str, samples: dict[str, str]) -> str:
    """README.md with each `<!-- sample NN.txt -->` block replaced by that sample's text."""
    return _BLOCK.sub(lambda m: m.group(1) + samples[m.group(2)] + m.group(4), readme)


def main() -> int:
    write_text(OUT / "text")
    samples = {p.name: p.read_text() for p in (OUT / "text").glob("*.txt")}
    README.write_text(readme_with_samples(README.read_text(), samples))
    if "--text" not in sys.argv:
        write_pictures(OUT / "plots")
    print(f"wrote {OUT.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
