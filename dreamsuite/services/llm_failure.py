"""What a person is told when the language model fails: what happened in plain words, never the
provider's own text (which may name keys or internals; it goes to the log)."""

from __future__ import annotations


def failure_message(e: BaseException | None, kept: str = "Your question is kept",
                    otherwise: str = "The assistant could not finish its answer. Please try again.") -> str:
    """`kept` says what the person does not lose (their question, their topic); `otherwise` is said
    when the failure is none of the known kinds."""
    seen: set[int] = set()
    while e is not None and id(e) not in seen:  # the provider's error may sit under pydantic-ai's
        seen.add(id(e))
        status = getattr(e, "status_code", None)
        if status in (401, 403):
            return (f"The assistant's language model refused our access (its API key). {kept}; "
                    "whoever runs Dream Suite needs to check the model's key.")
        if status == 429:
            return f"The assistant's language model is busy right now. {kept}: try again in a minute."
        if "timeout" in type(e).__name__.lower():
            return f"The assistant's language model took too long to answer. {kept}: try again."
        if "connection" in type(e).__name__.lower():
            return f"The assistant's language model could not be reached. {kept}: try again later."
        e = e.__cause__ or e.__context__
    return otherwise
