"""python -m actcli"""

from actcli.cli.main import run

run()
