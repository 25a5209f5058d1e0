"""Pictures: sampled data (data.py), matplotlib figures (figure.py), files (files.py),
braille plots for terminals (terminal.py), and the glue the CLI calls (cli.py)."""

# Defaults shared by `actcli plot` and `actcli compare -o` (cheap to import: no matplotlib here).
XMIN, XMAX, POINTS, DPI, THEME = "-5", "5", 1001, 150, "light"
