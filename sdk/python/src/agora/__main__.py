"""A small command line over agora.Client: ``python -m agora --help``.

Every command sends the API key from ``--api-key`` or the ``AGORA_API_KEY`` environment variable.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys

from agora import errors
from agora._access import API_KEY_ENV, generate_key
from agora.client import Client


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m agora", description=__doc__)
    parser.add_argument("--server", default="localhost:8001", help="gRPC address (host:port)")
    parser.add_argument(
        "--api-key", default=None, help=f"API key agora_<id>_<secret> (default: ${API_KEY_ENV})"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("ready", help="exit 0 when the server is ready")
    commands.add_parser("whoami", help="the key's principal, team, roles and scopes")
    commands.add_parser("models", help="list models with their latest published version")
    publish = commands.add_parser("publish", help="upload and publish an ONNX file")
    publish.add_argument("file")
    publish.add_argument("--model", required=True)
    publish.add_argument("--version", required=True)
    publish.add_argument("--changelog", default="")
    publish.add_argument("--team", default="", help="owner team of a new model (default: the key's)")
    metadata = commands.add_parser("metadata", help="a model's inputs and outputs")
    metadata.add_argument("model")
    metadata.add_argument("--version", default="")
    _team_commands(commands.add_parser("teams", help="create teams, add and remove members"))
    _key_commands(commands.add_parser("keys", help="create, list and revoke API keys"))
    return parser


def _team_commands(teams: argparse.ArgumentParser) -> None:
    actions = teams.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="create a team (global administrators)")
    create.add_argument("name")
    create.add_argument("--display-name", default="")
    member = actions.add_parser("set-member", help="add a member or replace its roles")
    member.add_argument("team")
    member.add_argument("principal")
    member.add_argument("--role", action="append", required=True, help="consumer, publisher, reviewer, admin")
    member.add_argument("--service-account", action="store_true")
    remove = actions.add_parser("remove-member", help="remove a member (its keys stop working)")
    remove.add_argument("team")
    remove.add_argument("principal")


def _key_commands(keys: argparse.ArgumentParser) -> None:
    actions = keys.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="create a key; it is printed only this once")
    create.add_argument("--team", default="", help="default: the calling key's team")
    create.add_argument("--principal", default="", help="default: the calling key's principal")
    create.add_argument("--scope", action="append", default=[], help="repeatable; default: all the roles allow")
    create.add_argument("--description", default="")
    create.add_argument("--expires-in-days", type=float, default=None)
    listing = actions.add_parser("list", help="list keys (never their secrets)")
    listing.add_argument("--team", default="")
    listing.add_argument("--principal", default="")
    listing.add_argument("--include-revoked", action="store_true")
    revoke = actions.add_parser("revoke", help="revoke a key by its id")
    revoke.add_argument("id")
    actions.add_parser("generate", help="print a fresh well-formed key, offline (AGORA_BOOTSTRAP_ADMIN_KEY)")


def _run_teams(client: Client, args) -> int:
    if args.action == "create":
        team = client.create_team(args.name, display_name=args.display_name)
    elif args.action == "set-member":
        kind = "service-account" if args.service_account else "user"
        team = client.set_team_member(args.team, args.principal, args.role, kind=kind)
    else:
        team = client.remove_team_member(args.team, args.principal)
    print(f"team {team.name}: " + ", ".join(_member(m) for m in team.members))
    return 0


def _member(member) -> str:
    from agora._proto.access.v1 import access_pb2

    roles = "+".join(access_pb2.Role.Name(r).removeprefix("ROLE_").lower() for r in member.roles)
    return f"{member.principal} ({roles})"


def _run_keys(client: Client, args) -> int:
    if args.action == "create":
        expires = None
        if args.expires_in_days is not None:
            expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=args.expires_in_days)
        created = client.create_api_key(
            team=args.team, principal=args.principal, scopes=args.scope,
            description=args.description, expire_time=expires,
        )  # fmt: skip
        key = created.key
        print(f"key {key.id} for {key.principal} in team {key.team}, scopes {' '.join(key.scopes)}", file=sys.stderr)
        print("shown only now; only its hash is stored:", file=sys.stderr)
        print(created.token)
        return 0
    if args.action == "list":
        for key in client.list_api_keys(args.team, args.principal, args.include_revoked):
            state = "revoked" if key.HasField("revoke_time") else "active"
            used = key.last_used_time.ToJsonString() if key.HasField("last_used_time") else "never"
            print(f"{key.id}\t{key.team}\t{key.principal}\t{','.join(key.scopes)}\t{state}\tlast used {used}")
        return 0
    key = client.revoke_api_key(args.id)
    print(f"revoked {key.id} at {key.revoke_time.ToJsonString()}")
    return 0


def _run(client: Client, args) -> int:
    if args.command == "ready":
        ready = client.is_ready()
        print("ready" if ready else "not ready")
        return 0 if ready else 1
    if args.command == "whoami":
        caller = client.who_am_i()
        print(f"{caller.principal} in team {caller.team}, key {caller.key_id}, scopes {' '.join(caller.scopes)}")
        return 0
    if args.command == "models":
        for model in client.list_models():
            print(f"{model.name}\t{model.latest_published_version or '-'}\t{model.owner_team}\t{model.summary}")
        return 0
    if args.command == "publish":
        version = client.publish(
            args.file, args.model, args.version, changelog=args.changelog, owner_team=args.team
        )
        print(f"published {version.model} {version.version} sha256:{version.artifact.sha256}")
        return 0
    if args.command == "metadata":
        response = client.model_metadata(args.model, args.version)
        for kind, tensors in (("input", response.inputs), ("output", response.outputs)):
            for tensor in tensors:
                print(f"{kind}\t{tensor.name}\t{tensor.datatype}\t{list(tensor.shape)}")
        return 0
    if args.command == "teams":
        return _run_teams(client, args)
    return _run_keys(client, args)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "keys" and args.action == "generate":
        print(generate_key())
        return 0
    api_key = args.api_key if args.api_key is not None else os.environ.get(API_KEY_ENV, "")
    try:
        with Client(args.server, api_key=api_key) as client:
            return _run(client, args)
    except errors.AgoraError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
