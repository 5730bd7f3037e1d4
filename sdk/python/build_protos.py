"""Generates the SDK's Python stubs from the repository's .proto files.

Runs at build time (setup.py calls it before build_py) and can be run by hand:
``python build_protos.py``. Output goes to ``src/agora/_proto`` (git-ignored):

* ``agora._proto.inference``      from ``inference/*.proto``
* ``agora._proto.registry.v1``    from ``agora/registry/v1/*.proto``
* ``agora._proto.errors.v1``      from ``agora/errors/v1/*.proto``
* ``agora._proto.access.v1``      from ``agora/access/v1/*.proto``

protoc writes imports that assume each proto directory is a top-level Python package
(``from inference import model_config_pb2``); they are rewritten to live under
``agora._proto``. The generated modules also register their files in a descriptor pool of
their own (``agora._proto._pool``) instead of protobuf's default pool: tritonclient registers
the same ``inference.*`` message names under other file names, and one default pool cannot
hold both, so without this the SDK and tritonclient could not be imported in one process.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_PROTO_ROOT = HERE.parent.parent / "proto" / "src" / "main" / "proto"
OUT_DIR = HERE / "src" / "agora" / "_proto"

# proto directory (relative to the proto root) -> Python package it is generated into.
PACKAGES = {
    "inference": "agora._proto.inference",
    "agora/registry/v1": "agora._proto.registry.v1",
    "agora/errors/v1": "agora._proto.errors.v1",
    "agora/access/v1": "agora._proto.access.v1",
}

POOL_MODULE = '''"""The descriptor pool that Agora's generated stubs register in (see build_protos.py).

Generated code: do not edit.
"""

from google.protobuf import descriptor_pb2, descriptor_pool

POOL = descriptor_pool.DescriptorPool()


def _ensure(name: str) -> None:
    """Copies a dependency (and its own dependencies) from the default pool into POOL."""
    try:
        POOL.FindFileByName(name)
        return
    except KeyError:
        pass
    source = descriptor_pool.Default().FindFileByName(name)
    for dependency in source.dependencies:
        _ensure(dependency.name)
    POOL.AddSerializedFile(source.serialized_pb)


def add_serialized_file(serialized: bytes):
    """Adds one generated file to POOL after the files it imports; returns its descriptor."""
    proto = descriptor_pb2.FileDescriptorProto.FromString(serialized)
    for dependency in proto.dependency:
        _ensure(dependency)
    return POOL.AddSerializedFile(serialized)
'''


def proto_root() -> Path:
    return Path(os.environ.get("AGORA_PROTO_ROOT", DEFAULT_PROTO_ROOT)).resolve()


def _include_dirs() -> list[str]:
    import grpc_tools
    from google.api import annotations_pb2

    # googleapis-common-protos ships google/api/*.proto next to the generated modules.
    googleapis = Path(annotations_pb2.__file__).resolve().parent.parent.parent
    if not (googleapis / "google" / "api" / "annotations.proto").is_file():
        raise RuntimeError(f"google/api/annotations.proto not found under {googleapis}")
    well_known = Path(grpc_tools.__file__).resolve().parent / "_proto"
    return [str(googleapis), str(well_known)]


def _rewrite(text: str) -> str:
    # Longest directory first so "agora.registry.v1" is not caught by a shorter prefix.
    for directory in sorted(PACKAGES, key=len, reverse=True):
        old = directory.replace("/", ".")
        new = PACKAGES[directory]
        text = re.sub(rf"^(\s*)from {re.escape(old)} import ", rf"\1from {new} import ", text, flags=re.M)
        text = re.sub(rf"^(\s*)import {re.escape(old)}\.", rf"\1import {new}.", text, flags=re.M)
        # the module name given to the message builder
        text = re.sub(rf"'{re.escape(old)}\.(\w+_pb2)'", rf"'{new}.\1'", text)
    text = text.replace(
        "_descriptor_pool.Default().AddSerializedFile(",
        "_agora_pool.add_serialized_file(",
    )
    if "_agora_pool.add_serialized_file(" in text:
        text = text.replace(
            "from google.protobuf import descriptor_pool as _descriptor_pool\n",
            "from google.protobuf import descriptor_pool as _descriptor_pool\n"
            "from agora._proto import _pool as _agora_pool\n",
            1,
        )
        if "from agora._proto import _pool" not in text:
            raise RuntimeError("unexpected generated code: no descriptor_pool import to anchor on")
    return text


def generate(root: Path | None = None, out_dir: Path = OUT_DIR) -> Path:
    """Generates the stubs into out_dir (replacing it) and returns out_dir."""
    from grpc_tools import protoc

    root = root or proto_root()
    sources = []
    for directory in PACKAGES:
        found = sorted((root / directory).glob("*.proto"))
        if not found:
            raise RuntimeError(f"no .proto files in {root / directory}")
        sources += [str(path.relative_to(root)) for path in found]

    with tempfile.TemporaryDirectory(prefix="agora-protoc-") as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        args = ["grpc_tools.protoc", f"-I{root}"]
        args += [f"-I{include}" for include in _include_dirs()]
        args += [f"--python_out={raw}", f"--pyi_out={raw}", f"--grpc_python_out={raw}"]
        if protoc.main(args + sources) != 0:
            raise RuntimeError("protoc failed on " + " ".join(sources))

        staged = Path(tmp) / "_proto"
        staged.mkdir()
        (staged / "__init__.py").write_text('"""Generated stubs (see build_protos.py). Do not edit."""\n')
        (staged / "_pool.py").write_text(POOL_MODULE)
        for directory, package in PACKAGES.items():
            parts = package.split(".")[2:]  # below agora._proto
            for depth in range(1, len(parts) + 1):
                level = staged.joinpath(*parts[:depth])
                level.mkdir(exist_ok=True)
                (level / "__init__.py").touch()
            target = staged.joinpath(*parts)
            for generated in sorted((raw / directory).iterdir()):
                if generated.suffix not in (".py", ".pyi"):
                    continue
                (target / generated.name).write_text(_rewrite(generated.read_text()))

        if out_dir.exists():
            shutil.rmtree(out_dir)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(staged, out_dir)
    return out_dir


def ensure_generated(out_dir: Path = OUT_DIR) -> Path:
    """Generates from the repository's protos; keeps existing stubs when the protos are absent
    (a build from an unpacked source distribution)."""
    root = proto_root()
    if root.is_dir():
        return generate(root, out_dir)
    if (out_dir / "inference" / "grpc_service_pb2.py").is_file():
        return out_dir
    raise RuntimeError(
        f"proto sources not found at {root} and no generated stubs in {out_dir}; "
        "build from the repository checkout or set AGORA_PROTO_ROOT"
    )


if __name__ == "__main__":
    print(f"generated {ensure_generated()}", file=sys.stderr)
