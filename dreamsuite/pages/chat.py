import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.layout import template
from dreamsuite.components.markdown import safe_markdown
from dreamsuite.state.chat import ChatState as S


_wide_only = rx.breakpoints(initial="none", sm="inline")  # a button's word beside its icon


def _conversation_item(c) -> rx.Component:
    active = S.conversation_id.to_string() == c["id"]
    return rx.box(
        rx.text(c["title"], size=st.size_sm, weight=rx.cond(active, "bold", "regular"), style=st.ellipsis),
        on_click=S.open_conversation(c["id"]),
        padding=f"{st.space_sm} {st.space_md}",
        border_radius=st.radius_sm,
        cursor="pointer",
        width="100%",
        background=rx.cond(active, st.selected_bg, "transparent"),
        _hover={"background": st.hover_bg},
        data_testid="conversation-item",
    )


def _message(m) -> rx.Component:
    is_user = m.role == "user"
    return rx.box(
        rx.cond(
            is_user,
            rx.text(m.content, white_space="pre-wrap"),
            rx.cond(m.content != "",
                    rx.box(safe_markdown(m.content),
                           rx.cond(m.tools != "",
                                   rx.text("Looked at: ", m.tools, size=st.size_xs, color=st.text_muted,
                                           margin_top=st.space_sm, data_testid="chat-tools")),
                           rx.cond(m.agent_title != "",
                                   rx.text(m.agent_title, size=st.size_xs, color=st.text_muted,
                                           margin_top=st.space_xs, data_testid="chat-agent")),
                           style={"& p:first-child": {"margin_top": "0"}, "& p:last-child": {"margin_bottom": "0"}}),
                    rx.spinner(size="2")),
        ),
        align_self=rx.cond(is_user, "flex-end", "flex-start"),
        max_width=rx.breakpoints(initial="95%", md="80%"),
        word_break="break-word",
        padding=st.bubble_padding,
        border_radius=st.radius_xl,
        background=rx.cond(is_user, st.selected_bg, st.surface_muted),
        data_testid=rx.cond(is_user, "chat-message-user", "chat-message-assistant"),
    )


def _send_button() -> rx.Component:
    return rx.button(rx.icon("send", size=st.icon_sm), rx.text("Send", display=_wide_only),
                     type="submit", size="3", data_testid="chat-send", aria_label="Send")


def _stop_button() -> rx.Component:
    # While an answer streams, Send becomes Stop: what was said so far is kept, marked stopped.
    return rx.button(rx.icon("square", size=st.icon_sm), rx.text("Stop", display=_wide_only),
                     type="button", on_click=S.stop, size="3", variant="soft", color_scheme="gray",
                     loading=S.stopping, data_testid="chat-stop", aria_label="Stop the answer")


def _empty() -> rx.Component:
    return rx.vstack(
        rx.icon("sparkles", size=st.icon_xl, color=st.icon_feature),
        rx.text("Ask anything about your numbers.", size=st.size_lg, weight="medium"),
        rx.hstack(
            rx.foreach(S.suggestions, lambda q: rx.button(q, variant="outline", size="1", on_click=S.ask(q),
                                                          disabled=S.streaming, data_testid="chat-suggestion")),
            wrap="wrap", justify="center",
        ),
        align="center", spacing=st.gap_md, padding=f"{st.space_3xl} {st.space_lg}", width="100%",
    )


@template(route="/chat", title="Chat", on_load=[S.load])
def chat() -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.button(rx.icon("plus", size=st.icon_sm), "New conversation", on_click=S.new_conversation,
                      variant="soft", width="100%", data_testid="chat-new"),
            rx.box(rx.foreach(S.conversations, _conversation_item), width="100%",
                   max_height=rx.breakpoints(initial=st.list_max_height, md="none"), overflow_y="auto"),
            width=rx.breakpoints(initial="100%", md=st.list_width),
            min_width=rx.breakpoints(initial="0", md=st.list_width),
            spacing=st.gap_xs,
        ),
        rx.card(
            rx.vstack(
                rx.auto_scroll(
                    rx.cond(S.messages.length() > 0,
                            rx.vstack(rx.foreach(S.messages, _message),
                                      # The answer being written (stored and moved into the
                                      # messages when it ends).
                                      rx.cond(S.streaming, _message(S.answer)),
                                      spacing=st.gap_md, width="100%"),
                            _empty()),
                    height=rx.breakpoints(initial="50vh", md="55vh"), width="100%", data_testid="chat-messages",
                ),
                rx.cond(S.chat_error != "",
                        rx.callout(S.chat_error, **st.callout_error, data_testid="chat-error")),
                rx.form(
                    rx.hstack(
                        rx.input(name="question", placeholder="e.g. How did my followers grow this week?",
                                 size="3", width="100%", auto_complete="off", max_length=4000,
                                 data_testid="chat-input"),
                        rx.cond(S.streaming, _stop_button(), _send_button()),
                        width="100%",
                    ),
                    on_submit=S.send,
                    reset_on_submit=True,
                    width="100%",
                ),
                spacing=st.gap_md, width="100%",
            ),
            width="100%",
            min_width="0",
        ),
        direction=rx.breakpoints(initial="column", md="row"),
        gap=st.space_lg, width="100%", align="start",
    )
