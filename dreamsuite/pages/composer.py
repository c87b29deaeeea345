import reflex as rx

from dreamsuite.components.cards import empty_state, status_badge
from dreamsuite.components.layout import template
from dreamsuite.state.composer import ComposerState as S


def _account_checkbox(a) -> rx.Component:
    return rx.checkbox(
        a.label,
        checked=S.selected.contains(a.connection_id),
        on_change=lambda v: S.toggle_account(a.connection_id, v),
        data_testid="composer-account",
    )


def _counter() -> rx.Component:
    return rx.text(
        S.char_count.to_string(),
        rx.cond(S.char_limit > 0, " / " + S.char_limit.to_string(), " characters"),
        size="2",
        color=rx.cond(S.over_limit, rx.color("red", 11), rx.color("gray", 11)),
        weight=rx.cond(S.over_limit, "bold", "regular"),
        data_testid="composer-count",
    )


def _form() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text_area(
                value=S.content, on_change=S.set_content, placeholder="What do you want to tell your fans?",
                rows="5", width="100%", size="3", data_testid="composer-text",
            ),
            rx.hstack(_counter(), justify="end", width="100%"),
            rx.text("Post to", weight="medium", size="2"),
            rx.cond(
                S.accounts.length() > 0,
                rx.hstack(rx.foreach(S.accounts, _account_checkbox), wrap="wrap", spacing="4"),
                rx.text("No connected account can publish yet. ",
                        rx.link("Connect one", href="/connections"), ".", size="2", color=rx.color("gray", 11)),
            ),
            rx.hstack(
                rx.vstack(
                    rx.text("When", weight="medium", size="2"),
                    rx.input(type="datetime-local", value=S.when, on_change=S.set_when, size="3",
                             data_testid="composer-when"),
                    spacing="1",
                ),
                rx.text("Times are in ", rx.text.strong(S.user_timezone), size="2",
                        color=rx.color("gray", 11), data_testid="composer-timezone"),
                align="end", spacing="4", wrap="wrap",
            ),
            rx.cond(S.form_error != "", rx.callout(S.form_error, icon="triangle-alert", color_scheme="red",
                                                   width="100%", data_testid="composer-error")),
            # A time that happens twice (the clocks go back): schedule the one the artist means.
            rx.cond(S.time_choices.length() > 0,
                    rx.hstack(rx.foreach(S.time_choices, lambda c: rx.button(
                        c.label, on_click=S.schedule(c.fold), variant="outline", size="2",
                        data_testid="composer-time-choice")), wrap="wrap", spacing="2")),
            rx.cond(S.form_ok != "", rx.callout(S.form_ok, icon="circle-check", color_scheme="green",
                                                width="100%", data_testid="composer-ok")),
            rx.button(rx.icon("calendar-clock", size=16), "Schedule", on_click=S.schedule(""), size="3",
                      disabled=S.over_limit, data_testid="composer-submit"),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _destination(d) -> rx.Component:
    return rx.hstack(
        rx.text(d.account, size="2"),
        status_badge(d.status, testid="post-status", label=d.label),
        rx.cond(d.url != "", rx.link("view", href=d.url, is_external=True, size="1")),
        rx.cond(d.check_url != "", rx.link("check on the platform", href=d.check_url, is_external=True,
                                           size="1", data_testid="check-on-platform")),
        rx.cond(d.error != "", rx.text(d.error, size="1", color=rx.color("red", 11),
                                       word_break="break-word")),
        align="center", spacing="2", wrap="wrap",
    )


def _post(p) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("clock", size=14),
                rx.text(p.when, size="2", weight="medium", data_testid="post-when"),
                rx.spacer(),
                rx.cond(p.cancellable, rx.button("Cancel", size="1", variant="ghost", color_scheme="red",
                                                 on_click=S.cancel(p.id))),
                align="center", width="100%",
            ),
            rx.text(p.content, white_space="pre-wrap", word_break="break-word", size="3",
                    data_testid="post-content"),
            rx.hstack(rx.foreach(p.destinations, _destination), wrap="wrap", spacing="4"),
            spacing="2", width="100%",
        ),
        width="100%",
        data_testid="post-card",
    )


@template(route="/composer", title="Composer", on_load=[S.load])
def composer() -> rx.Component:
    return rx.vstack(
        _form(),
        rx.heading("Scheduled posts", size="5", padding_top="0.5em"),
        rx.cond(
            S.posts.length() > 0,
            rx.vstack(rx.foreach(S.posts, _post), spacing="3", width="100%"),
            empty_state("calendar", "Nothing scheduled", "Posts you schedule appear here with their status "
                        "on each platform.", testid="posts-empty"),
        ),
        spacing="4",
        width="100%",
    )
