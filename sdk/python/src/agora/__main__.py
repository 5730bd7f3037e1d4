"""A small command line over agora.Client: ``python -m agora --help``."""

from __future__ import annotations

import argparse
import sys

from agora import errors
from agora.client import Client


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m agora", description=__doc__)
    parser.add_argument("--server", default="localhost:8001", help="gRPC address (host:port)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("ready", help="exit 0 when the server is ready")
    commands.add_parser("models", help="list models with their latest published version")
    publish = commands.add_parser("publish", help="upload and publish an ONNX file")
    publish.add_argument("file")
    publish.add_argument("--model", required=True)
    publish.add_argument("--version", required=True)
    publish.add_argument("--changelog", default="")
    metadata = commands.add_parser("metadata", help="a model's inputs and outputs")
    metadata.add_argument("model")
    metadata.add_argument("--version", default="")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        with Client(args.server) as client:
            if args.command == "ready":
                ready = client.is_ready()
                print("ready" if ready else "not ready")
                return 0 if ready else 1
            if args.command == "models":
                for model in client.list_models():
                    print(f"{model.name}\t{model.latest_published_version or '-'}\t{model.summary}")
                return 0
            if args.command == "publish":
                version = client.publish(args.file, args.model, args.version, changelog=args.changelog)
                print(f"published {version.model} {version.version} sha256:{version.artifact.sha256}")
                return 0
            if args.command == "metadata":
                response = client.model_metadata(args.model, args.version)
                for kind, tensors in (("input", response.inputs), ("output", response.outputs)):
                    for tensor in tensors:
                        print(f"{kind}\t{tensor.name}\t{tensor.datatype}\t{list(tensor.shape)}")
                return 0
    except errors.AgoraError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 1


if __name__ == "__main__":
    sys.exit(main())
