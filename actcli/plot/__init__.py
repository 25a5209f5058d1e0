"""Pictures: sampled data (data.py), matplotlib figures (figure.py), files (files.py),
braille plots for terminals (terminal.py), and the glue the CLI calls (cli.py)."""
