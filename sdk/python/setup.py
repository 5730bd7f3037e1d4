"""Generates the gRPC/protobuf stubs before the package is built (see build_protos.py).

Everything else about the package is declared in pyproject.toml.
"""

import sys
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_protos  # noqa: E402


class BuildPyWithProtos(build_py):
    """build_py that first generates src/agora/_proto and then packages it too."""

    def run(self):
        build_protos.ensure_generated()
        generated = find_packages("src")
        self.packages = sorted(set(self.packages or []) | set(generated))
        self.distribution.packages = self.packages
        super().run()


setup(cmdclass={"build_py": BuildPyWithProtos})
