import reflex as rx

from dreamsuite.settings import get_settings

_settings = get_settings()

config = rx.Config(
    app_name="dreamsuite",
    db_url=_settings.database_url,
    telemetry_enabled=False,
    plugins=[rx.plugins.SitemapPlugin()],
    disable_plugins=["reflex.plugins.sitemap.SitemapPlugin"],
)
