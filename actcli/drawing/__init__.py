"""Pictures: sampled data (data.py), matplotlib figures (figure.py) laid out by layout.py,
files (files.py) and braille plots for terminals (terminal.py). The command line's
options for them are :mod:`actcli.cli.plot`'s."""

# Defaults shared by `actcli plot` and `actcli compare -o` (cheap to import: no matplotlib here).
XMIN, XMAX, POINTS, DPI, THEME = "-5", "5", 1001, 150, "light"
WIDTH, GRAD_WIDTH, HEIGHT = 6.4, 11.0, 4.2  # inches: one panel, two panels (with --grad)
MAX_CURVES = 8  # in one picture: as many as there are colours and line styles to tell them apart
