"""The task worker: django-tasks-db's loop, made to outlive a database restart,
and the requeueing of tasks whose worker died (see docs/deploy.md)."""
