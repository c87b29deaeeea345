import reflex as rx

from dreamsuite.settings import get_settings

config = rx.Config(
    app_name="dreamsuite",
    db_url=get_settings().database_url,
    telemetry_enabled=False,
)
