from __future__ import annotations

from demo.main import main

raise SystemExit(main())
