import reflex as rx

from dreamsuite.settings import get_settings

settings = get_settings()

config = rx.Config(
    app_name="dreamsuite",
    db_url=settings.database_url,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # Only our own pages may call the backend with the user's cookies (not any Origin).
    cors_allowed_origins=settings.app_origins,
    plugins=[
        rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="violet", gray_color="slate", radius="large")),
    ],
    # A logged-in app has no public pages worth a sitemap.
    disable_plugins=[rx.plugins.SitemapPlugin],
)
