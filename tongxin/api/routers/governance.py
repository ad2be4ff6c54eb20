"""Standing mechanisms, one router for api.py: mechanisms with their member units and issue list,
supervised tasks, and duty reports. Each lives in its own module (split by meaning); this one
only mounts them, so that the API's list of apps stays one line per app."""

from ninja import Router

from . import duty_reports, mechanisms, tasks

router = Router()
router.add_router("", mechanisms.router)
router.add_router("", tasks.router)
router.add_router("", duty_reports.router)
