from celery import shared_task

from . import services


@shared_task(name="websites.send_renewal_reminders")
def send_renewal_reminders() -> int:
    """Daily: remind owners of instances that carry a filing before their subscription ends. Safe to run twice."""
    return services.instance_renewal_reminders_send()
