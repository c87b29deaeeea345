"""The one base for errors a person can act on: `message` is shown to them as is."""


class UserError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
