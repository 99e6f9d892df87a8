"""The sandbox's API routes, one module per resource group of the contract."""

from fastapi import APIRouter

from coworker.sandbox.routes import catalog, deals, leads, messaging, notes, tasks

router = APIRouter(prefix="/api/v1")
for module in (leads, messaging, tasks, notes, deals, catalog):
    router.include_router(module.router)
