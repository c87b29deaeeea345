import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.cards import empty_state, status_badge
from dreamsuite.components.layout import template
from dreamsuite.state.composer import TONES, ComposerState as S


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
        size=st.size_sm,
        color=rx.cond(S.over_limit, st.text_danger, st.text_muted),
        weight=rx.cond(S.over_limit, "bold", "regular"),
        data_testid="composer-count",
    )


def _generate() -> rx.Component:
    """Generate with AI: a topic and a tone in, a caption with hashtags into the text below."""
    return rx.vstack(
        rx.text("Generate with AI", weight="medium", size=st.size_sm),
        rx.hstack(
            rx.input(value=S.ai_topic, on_change=S.set_ai_topic, max_length=300, size="3", flex="1",
                     min_width="14em", placeholder="What is the post about?", data_testid="caption-topic"),
            rx.select.root(
                rx.select.trigger(aria_label="Tone", data_testid="caption-tone"),
                rx.select.content(*[rx.select.item(t.capitalize(), value=t) for t in TONES]),
                value=S.ai_tone, on_change=S.set_ai_tone, size="3",
            ),
            rx.button(rx.icon("sparkles", size=st.icon_sm), "Generate with AI", on_click=S.generate_caption,
                      loading=S.ai_busy, variant="soft", size="3", data_testid="caption-generate"),
            wrap="wrap", align="center", spacing=st.gap_sm, width="100%",
        ),
        rx.cond(S.ai_error != "", rx.text(S.ai_error, size=st.size_sm, color=st.text_danger,
                                          data_testid="caption-error")),
        rx.cond(S.ai_note != "", rx.text(S.ai_note, size=st.size_xs, color=st.text_muted,
                                         data_testid="caption-note")),
        spacing=st.gap_xs, width="100%",
    )


def _form() -> rx.Component:
    return rx.card(
        rx.vstack(
            _generate(),
            rx.text_area(
                value=S.content, on_change=S.set_content, placeholder="What do you want to tell your fans?",
                rows="5", width="100%", size="3", data_testid="composer-text",
            ),
            rx.hstack(_counter(), justify="end", width="100%"),
            rx.text("Post to", weight="medium", size=st.size_sm),
            rx.cond(
                S.accounts.length() > 0,
                rx.hstack(rx.foreach(S.accounts, _account_checkbox), wrap="wrap", spacing=st.gap_lg),
                rx.text("No connected account can publish yet. ",
                        rx.link("Connect one", href="/connections"), ".", size=st.size_sm, color=st.text_muted),
            ),
            rx.hstack(
                rx.vstack(
                    rx.text("When", weight="medium", size=st.size_sm),
                    rx.input(type="datetime-local", value=S.when, on_change=S.set_when, size="3",
                             data_testid="composer-when"),
                    spacing=st.gap_xs,
                ),
                rx.text("Times are in ", rx.text.strong(S.user_timezone), size=st.size_sm,
                        color=st.text_muted, data_testid="composer-timezone"),
                align="end", spacing=st.gap_lg, wrap="wrap",
            ),
            rx.cond(S.form_error != "", rx.callout(S.form_error, **st.callout_error,
                                                   data_testid="composer-error")),
            # A time that happens twice (the clocks go back): schedule the one the artist means.
            rx.cond(S.time_choices.length() > 0,
                    rx.hstack(rx.foreach(S.time_choices, lambda c: rx.button(
                        c.label, on_click=S.schedule(c.fold), variant="outline", size="2",
                        data_testid="composer-time-choice")), wrap="wrap", spacing=st.gap_sm)),
            rx.cond(S.form_ok != "", rx.callout(S.form_ok, **st.callout_ok,
                                                data_testid="composer-ok")),
            rx.button(rx.icon("calendar-clock", size=st.icon_sm), "Schedule", on_click=S.schedule(""), size="3",
                      disabled=S.over_limit, data_testid="composer-submit"),
            spacing=st.gap_md,
            width="100%",
        ),
        width="100%",
    )


def _destination(d) -> rx.Component:
    return rx.hstack(
        rx.text(d.account, size=st.size_sm),
        status_badge(d.status, testid="post-status", label=d.label),
        rx.cond(d.url != "", rx.link("view", href=d.url, is_external=True, size=st.size_xs)),
        rx.cond(d.check_url != "", rx.link("check on the platform", href=d.check_url, is_external=True,
                                           size=st.size_xs, data_testid="check-on-platform")),
        rx.cond(d.error != "", rx.text(d.error, size=st.size_xs, color=st.text_danger,
                                       word_break="break-word")),
        align="center", spacing=st.gap_sm, wrap="wrap",
    )


def _post(p) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("clock", size=st.icon_xs),
                rx.text(p.when, size=st.size_sm, weight="medium", data_testid="post-when"),
                rx.spacer(),
                rx.cond(p.cancellable, rx.button("Cancel", size="1", variant="ghost", color_scheme="red",
                                                 on_click=S.cancel(p.id))),
                align="center", width="100%",
            ),
            rx.text(p.content, white_space="pre-wrap", word_break="break-word", size=st.size_md,
                    data_testid="post-content"),
            rx.hstack(rx.foreach(p.destinations, _destination), wrap="wrap", spacing=st.gap_lg),
            spacing=st.gap_sm, width="100%",
        ),
        width="100%",
        data_testid="post-card",
    )


@template(route="/composer", title="Composer", on_load=[S.load])
def composer() -> rx.Component:
    return rx.vstack(
        _form(),
        rx.heading("Scheduled posts", size=st.size_xl, padding_top=st.space_sm),
        rx.cond(
            S.posts.length() > 0,
            rx.vstack(rx.foreach(S.posts, _post), spacing=st.gap_md, width="100%"),
            empty_state("calendar", "Nothing scheduled", "Posts you schedule appear here with their status "
                        "on each platform.", testid="posts-empty"),
        ),
        spacing=st.gap_lg,
        width="100%",
    )
