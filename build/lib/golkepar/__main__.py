from __future__ import annotations

from golkepar.cli import main

main()
