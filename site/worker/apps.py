from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "cocreate.worker"
    label = "worker"
    verbose_name = "Task worker"

    def ready(self) -> None:
        from cocreate.worker import privacy, retention

        retention.register_policies()
        privacy.register()
