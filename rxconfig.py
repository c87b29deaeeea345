import reflex as rx

from dreamsuite.settings import get_settings

config = rx.Config(
    app_name="dreamsuite",
    db_url=get_settings().database_url,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[
        rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="violet", gray_color="slate", radius="large")),
    ],
    # A logged-in app has no public pages worth a sitemap.
    disable_plugins=[rx.plugins.SitemapPlugin],
)
