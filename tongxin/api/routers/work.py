"""Work records, one router for api.py: activities, visits and cases, outputs, attachments,
trainings and cadres. Each lives in its own module (split by meaning, as the schemas are); this
one only mounts them, so that the API's list of apps stays one line per app."""

from ninja import Router

from . import activities, attachments, cadres, cases, outputs

router = Router()
router.add_router("", activities.router)
router.add_router("", cases.router)
router.add_router("", outputs.router)
router.add_router("", attachments.router)
router.add_router("", cadres.router)
