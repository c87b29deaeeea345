"""Command line: `python -m dreamsuite.cli create-admin EMAIL [--password ...]`.

The password comes from --password, else DREAMSUITE_ADMIN_PASSWORD, else a prompt (typed
twice), so it need not appear in the shell history.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from dreamsuite.services.auth import AuthError, create_admin


def _password(args: argparse.Namespace) -> str:
    if args.password:
        return args.password
    env = os.environ.get("DREAMSUITE_ADMIN_PASSWORD")
    if env:
        return env
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise AuthError("Passwords do not match.")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dreamsuite.cli")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("create-admin", help="create an admin account or promote an existing user")
    p.add_argument("email")
    p.add_argument("--password", help="otherwise DREAMSUITE_ADMIN_PASSWORD or a prompt")
    sub.add_parser("expire-unreadable", help="after losing a token key: mark the connections it encrypted "
                                             "expired, so their artists reconnect them")
    args = parser.parse_args(argv)

    if args.command == "expire-unreadable":
        from dreamsuite.services.tokens import expire_unreadable

        print(f"{expire_unreadable()} connection(s) marked expired; their artists are asked to reconnect.")
        return 0

    try:
        user_id = create_admin(args.email, _password(args))
    except AuthError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    print(f"admin {args.email} ready (user id {user_id}); log in at /admin/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
