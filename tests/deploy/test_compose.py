"""The production compose stack (docker-compose.yml, deploy/production/) holds together.

These tests read files only: no database, no Docker engine. `docker compose config` runs
when the compose plugin is installed, and is skipped with the reason otherwise.
"""

import ipaddress
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
SERVICES = {
    "web",
    "worker",
    "beat",
    "postgres",
    "redis",
    "dovecot",
    "postfix",
    "radicale",
    "clamav",
}
APP_SERVICES = ("web", "worker", "beat")


def load_compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def read_env_example() -> dict[str, str]:
    """The NAME=value lines of .env.example, without the commented-out ones."""
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def bind_mount_sources(service: dict) -> list[str]:
    """Host paths of a service's bind mounts (short or long syntax), not named volumes."""
    sources = []
    for volume in service.get("volumes", []):
        source = volume.get("source", "") if isinstance(volume, dict) else volume.split(":")[0]
        if source.startswith((".", "/", "$")):
            sources.append(source)
    return sources


def test_every_service_of_the_stack_is_defined():
    assert SERVICES - set(load_compose()["services"]) == set()


def test_every_mounted_configuration_file_is_in_the_repository():
    services = load_compose()["services"]
    mounted = [
        (name, source)
        for name, service in services.items()
        for source in bind_mount_sources(service)
        # ${TLS_CERT_DIR:-...}: certificates are the operator's, never in git.
        if not source.startswith("$")
    ]
    assert mounted, "no configuration file is mounted"
    missing = [(name, source) for name, source in mounted if not (ROOT / source).exists()]
    assert missing == []


def test_every_built_image_has_its_dockerfile():
    for name, service in load_compose()["services"].items():
        if "build" in service:
            context = service["build"]
            context = context if isinstance(context, str) else context["context"]
            assert (ROOT / context / "Dockerfile").is_file(), name


def test_web_worker_and_beat_run_the_same_image_with_the_repository_first_on_sys_path():
    services = load_compose()["services"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    images = {(services[name]["image"], str(services[name]["build"])) for name in APP_SERVICES}
    assert len(images) == 1
    for name in APP_SERVICES:
        assert services[name]["environment"]["PYTHONPATH"] == "/app", name
    assert re.search(r"^ENV PYTHONPATH=/app\b", dockerfile, re.MULTILINE)
    assert "WORKDIR /app" in dockerfile


def test_the_private_subnet_is_the_one_dovecot_trusts():
    """Dovecot accepts the master user and plain-text logins from this subnet only."""
    compose = load_compose()
    subnet = compose["networks"]["internal"]["ipam"]["config"][0]["subnet"]
    assert compose["networks"]["internal"]["internal"] is True
    assert ipaddress.ip_network(subnet).is_private
    dovecot_conf = (ROOT / "deploy/production/dovecot/dovecot.conf").read_text()
    entrypoint = (ROOT / "deploy/production/dovecot/entrypoint.sh").read_text()
    assert f"remote {subnet} {{" in dovecot_conf
    assert f"INTERNAL_SUBNET={subnet}\n" in entrypoint


def test_only_user_facing_ports_are_published_to_the_internet():
    services = load_compose()["services"]
    published = {
        name: [str(port) for port in service.get("ports", [])]
        for name, service in services.items()
        if service.get("ports")
    }
    assert published == {
        "web": ["127.0.0.1:${WEB_PORT:-8000}:8000"],
        "dovecot": ["993:993", "4190:4190"],
        "postfix": ["25:25", "587:587"],
        "radicale": ["127.0.0.1:${RADICALE_PORT:-5232}:5232"],
    }


def test_secrets_and_certificates_stay_out_of_git_and_of_the_image():
    compose = load_compose()
    dockerignore = (ROOT / ".dockerignore").read_text().splitlines()
    for directory in ("deploy/production/secrets", "deploy/production/tls"):
        assert (ROOT / directory / ".gitignore").read_text().splitlines()[1:] == [
            "*",
            "!.gitignore",
        ]
        assert directory in dockerignore
    for name, secret in compose["secrets"].items():
        assert secret["file"].startswith("./deploy/production/secrets/"), name


def test_env_example_documents_every_setting_read_from_the_environment():
    settings_source = (ROOT / "webmail/settings.py").read_text()
    names = set(re.findall(r"env_\w+\(\s*\"([A-Z0-9_]+)\"", settings_source))
    names.add("DATABASE_URL")  # read by dj_database_url.config()
    assert {"SECRET_KEY", "MAIL_MASTER_PASSWORD", "REDIS_URL"} <= names
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), re.MULTILINE))
    assert sorted(names - documented) == []


def test_compose_passes_every_documented_setting_to_the_app():
    environment = load_compose()["services"]["web"]["environment"]
    secrets_as_files = {"SECRET_KEY", "NUMEN_HASH_KEY", "MAIL_MASTER_PASSWORD"}
    compose_only = {
        "MAIL_HOSTNAME",
        "TLS_CERT_DIR",
        "WEB_PORT",
        "RADICALE_PORT",
        "GUNICORN_WORKERS",
    }
    for name in set(read_env_example()) - compose_only:
        assert name in environment, name
    for name in secrets_as_files:
        assert environment[f"{name}_FILE"].startswith("/run/secrets/"), name


def docker_compose_missing_reason() -> str:
    if shutil.which("docker") is None:
        return "docker is not installed"
    result = subprocess.run(
        ["docker", "compose", "version"], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        first_line = (result.stderr.strip().splitlines() or [""])[0]
        return f"the docker compose plugin is not installed ({first_line})"
    return ""


def test_docker_compose_accepts_the_file_with_the_example_settings():
    reason = docker_compose_missing_reason()
    if reason:
        pytest.skip(reason)
    env = {**os.environ, **read_env_example()}
    result = subprocess.run(
        ["docker", "compose", "-f", str(COMPOSE_FILE), "config", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
