"""The Dockerfile builds either connector and starts it the way Airbyte expects (no Docker engine needed)."""

from __future__ import annotations

import importlib
import re

import pytest

from unit_tests.packaging import dockerfile
from unit_tests.packaging.project import ROOT, connector_name, console_scripts, metadata, pyproject

CONNECTOR_TYPES = ("source", "destination")


@pytest.fixture(scope="module")
def recipe() -> dockerfile.Dockerfile:
    return dockerfile.parse(ROOT / "Dockerfile")


def expand(value: str, args: dict[str, str]) -> str:
    return re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], value)


@pytest.mark.parametrize("connector_type", CONNECTOR_TYPES)
def test_given_a_connector_stage_then_its_entrypoint_is_a_declared_console_script(
        recipe: dockerfile.Dockerfile, connector_type: str) -> None:
    stage = recipe.stage(connector_type)
    name = connector_name(connector_type)

    assert stage.entrypoint() == [name]
    assert name in console_scripts()
    # Airbyte's launcher reads AIRBYTE_ENTRYPOINT to call the connector inside the image.
    assert stage.env()["AIRBYTE_ENTRYPOINT"] == name


@pytest.mark.parametrize("connector_type", CONNECTOR_TYPES)
def test_given_a_connector_stage_then_its_labels_match_the_metadata_and_the_package_version(
        recipe: dockerfile.Dockerfile, connector_type: str) -> None:
    labels = recipe.stage(connector_type).labels()
    data = metadata(connector_type)["data"]

    assert labels["io.airbyte.name"] == data["dockerRepository"]
    assert labels["io.airbyte.version"] == data["dockerImageTag"] == pyproject()["project"]["version"]


def test_the_connector_build_argument_selects_a_connector_stage(recipe: dockerfile.Dockerfile) -> None:
    final = recipe.stages[-1]

    assert recipe.global_args["CONNECTOR"] == "source"
    assert final.base == "${CONNECTOR}"
    for connector_type in CONNECTOR_TYPES:
        assert expand(final.base, {"CONNECTOR": connector_type}) in {s.name for s in recipe.stages}
    # The base image creates this user; connectors should not run as root.
    assert final.values("USER") == ["airbyte"]


@pytest.mark.parametrize("connector_type", CONNECTOR_TYPES)
def test_the_base_image_is_the_one_each_metadata_declares(recipe: dockerfile.Dockerfile, connector_type: str) -> None:
    build = recipe.stage("build")
    base_image = metadata(connector_type)["data"]["connectorBuildOptions"]["baseImage"]

    assert expand(build.base, recipe.global_args) == base_image
    assert base_image.startswith("docker.io/airbyte/python-connector-base:")
    assert "@sha256:" in base_image, "pin the base image by digest, as Airbyte's registry does"


def test_the_image_copies_every_package_the_project_ships_and_installs_it(recipe: dockerfile.Dockerfile) -> None:
    build = recipe.stage("build")
    copied = {args.split()[0] for args in build.values("COPY")}
    packages = {p.rstrip("*") for p in pyproject()["tool"]["setuptools"]["packages"]["find"]["include"]}

    assert packages | {"pyproject.toml"} <= copied
    assert any("pip install" in run and " ." in run for run in build.values("RUN"))


@pytest.mark.parametrize("connector_type", CONNECTOR_TYPES)
def test_each_entrypoint_console_script_resolves_to_a_callable(connector_type: str) -> None:
    module_name, _, attr = console_scripts()[connector_name(connector_type)].partition(":")

    assert callable(getattr(importlib.import_module(module_name), attr))


@pytest.mark.parametrize("script", sorted(console_scripts()))
def test_every_console_script_is_installed_in_the_image_and_resolves_to_a_callable(
        recipe: dockerfile.Dockerfile, script: str) -> None:
    # `zoho-crm` (the one-shot actions) ships in both images beside the connector's own entrypoint
    module_name, _, attr = console_scripts()[script].partition(":")
    copied = {args.split()[0] for args in recipe.stage("build").values("COPY")}

    assert module_name.split(".")[0] in copied
    assert callable(getattr(importlib.import_module(module_name), attr))
