"""The local service stack: private Dovecot, mail relay, Radicale, Redis, clamd and Celery.

Every service is a private instance under one directory (var/ for `make demo`, a temp dir
for the tests), bound to 127.0.0.1, never touching system-wide configuration. `make demo`
and the test fixtures (tests/servers.py) both use the LocalStack class below.

    python -m scripts.localstack up    # start what is not running, write var/stack.env
    python -m scripts.localstack down  # stop what `up` started
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "deploy" / "local"

# The EICAR test file's MD5 and size: clamd with only this signature detects EICAR and
# nothing else (there is no internet for freshclam; production uses freshclam).
EICAR_SIGNATURE = "44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature\n"

# Default ports of `make demo`, each overridable by the environment variable of its name.
DEFAULT_PORTS = {
    "IMAP_PORT": 1143,
    "SMTP_PORT": 1587,
    "SIEVE_PORT": 4190,
    "LMTP_PORT": 2424,
    "RELAY_PORT": 2525,
    "MX_PORT": 2526,
    "RADICALE_PORT": 5232,
    "REDIS_PORT": 6380,
    "CLAMD_PORT": 3310,
}


class StackError(RuntimeError):
    """A service would not start; the message says what to do."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def next_free_port(port: int) -> int:
    while not port_is_free(port):
        port += 1
    return port


def wait_for_port(port: int, timeout: float, process: subprocess.Popen | None = None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


@dataclass
class Database:
    """Where Dovecot finds Django's accounts table."""

    engine: str  # "sqlite" or "postgresql"
    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def from_django(cls, settings_dict: dict) -> Database:
        engine = "sqlite" if "sqlite" in settings_dict["ENGINE"] else "postgresql"
        return cls(
            engine=engine,
            name=str(settings_dict["NAME"]),
            host=str(settings_dict.get("HOST") or ""),
            port=str(settings_dict.get("PORT") or ""),
            user=str(settings_dict.get("USER") or ""),
            password=str(settings_dict.get("PASSWORD") or ""),
        )

    def dovecot_driver(self) -> tuple[str, str]:
        if self.engine == "sqlite":
            return "sqlite", str(Path(self.name).resolve())
        parts = [f"dbname={self.name}"]
        parts += [
            f"{key}={value}"
            for key, value in (
                ("host", self.host or "127.0.0.1"),
                ("port", self.port),
                ("user", self.user),
                ("password", self.password),
            )
            if value
        ]
        return "pgsql", " ".join(parts)


@dataclass
class Service:
    name: str
    argv: list[str]
    port: int
    env: dict[str, str] = field(default_factory=dict)
    startup_seconds: float = 30
    process: subprocess.Popen | None = None


@dataclass
class LocalStack:
    root: Path
    database: Database
    ports: dict[str, int]
    mail_domain: str = "example.org"
    master_user: str = "webmail"
    master_password: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    with_celery: bool = True
    # False: Dovecot without its full-text plugin, for the mail benchmark (bench/mail_speed.py)
    # whose 100,000 messages are written straight to disk, not indexed at delivery.
    full_text_search: bool = True
    app_env: dict[str, str] = field(default_factory=dict)  # extra env for Celery processes
    services: dict[str, Service] = field(default_factory=dict)

    # ---- layout ----
    @property
    def run_dir(self) -> Path:
        return self.root / "run"

    @property
    def log_dir(self) -> Path:
        return self.root / "log"

    @property
    def dovecot_dir(self) -> Path:
        return self.root / "dovecot"

    @property
    def capture_dir(self) -> Path:
        return self.root / "outgoing"

    def env(self) -> dict[str, str]:
        """Settings for the Django app and its workers to use this stack."""
        return {
            "MAIL_DOMAIN": self.mail_domain,
            "IMAP_HOST": "127.0.0.1",
            "IMAP_PORT": str(self.ports["IMAP_PORT"]),
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(self.ports["SMTP_PORT"]),
            "SIEVE_HOST": "127.0.0.1",
            "SIEVE_PORT": str(self.ports["SIEVE_PORT"]),
            "LMTP_PORT": str(self.ports["LMTP_PORT"]),
            "CALDAV_URL": f"http://127.0.0.1:{self.ports['RADICALE_PORT']}/",
            "REDIS_URL": f"redis://127.0.0.1:{self.ports['REDIS_PORT']}/0",
            "CLAMD_HOST": "127.0.0.1",
            "CLAMD_PORT": str(self.ports["CLAMD_PORT"]),
            "MAIL_MASTER_USER": self.master_user,
            "MAIL_MASTER_PASSWORD": self.master_password,
            "OUTGOING_CAPTURE_DIR": str(self.capture_dir),
        }

    # ---- configuration ----
    def configure(self) -> None:
        for directory in (self.run_dir, self.log_dir, self.dovecot_dir, self.capture_dir):
            directory.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o755)  # Dovecot's mail processes (unprivileged) must traverse it
        self._configure_dovecot()
        self._configure_clamd()
        self._configure_radicale()
        self.services = {service.name: service for service in self._service_list()}

    def _identity(self) -> dict[str, str]:
        if os.geteuid() == 0:
            mail = pwd.getpwnam("nobody")
            return {
                "internal_user": "dovecot",
                "login_user": "dovenull",
                "auth_worker_user": "root",  # reads the SQLite file, whoever owns it
                "mail_uid": str(mail.pw_uid),
                "mail_gid": str(mail.pw_gid),
                "login_chroot": "",
            }
        me = pwd.getpwuid(os.geteuid())
        return {
            "internal_user": me.pw_name,
            "login_user": me.pw_name,
            "auth_worker_user": me.pw_name,
            "mail_uid": str(me.pw_uid),
            "mail_gid": str(me.pw_gid),
            "login_chroot": "  chroot =\n",
        }

    def _configure_dovecot(self) -> None:
        identity = self._identity()
        mail_dir = self.root / "mail"
        mail_dir.mkdir(exist_ok=True)
        os.chown(mail_dir, int(identity["mail_uid"]), int(identity["mail_gid"]))
        driver, connect = self.database.dovecot_driver()
        values = {
            **identity,
            "run_dir": self.run_dir / "dovecot",
            "state_dir": self.dovecot_dir / "state",
            "log_dir": self.log_dir,
            "dovecot_dir": self.dovecot_dir,
            "mail_dir": mail_dir,
            "instance_name": f"webmail-{abs(hash(str(self.root))) % 10**8}",
            "mail_domain": self.mail_domain,
            "master_user": self.master_user,
            "relay_port": self.ports["RELAY_PORT"],
            "imap_port": self.ports["IMAP_PORT"],
            "submission_port": self.ports["SMTP_PORT"],
            "sieve_port": self.ports["SIEVE_PORT"],
            "lmtp_port": self.ports["LMTP_PORT"],
            # The production image's attachment decoder (full-text search of attachments).
            "decode2text": REPO / "deploy" / "production" / "dovecot" / "decode2text.sh",
            "full_text_plugins": " fts fts_xapian" if self.full_text_search else "",
            "driver": driver,
            "connect": connect,
        }
        (self.dovecot_dir / "state").mkdir(exist_ok=True)
        for name in (
            "dovecot.conf",
            "dovecot-sql.conf.ext",
            "dovecot-sql-app-passwords.conf.ext",
            "dovecot-sql-app-password-used.conf.ext",
        ):
            template = (TEMPLATES / f"{name}.in").read_text()
            (self.dovecot_dir / name).write_text(template.format(**values))
        master_file = self.dovecot_dir / "master-users"
        master_file.write_text(f"{self.master_user}:{ssha512(self.master_password)}\n")
        master_file.chmod(0o640)
        if os.geteuid() == 0:
            shutil.chown(master_file, group="dovecot")

    def _configure_clamd(self) -> None:
        db_dir = self.root / "clamav" / "db"
        db_dir.mkdir(parents=True, exist_ok=True)
        (db_dir / "eicar-test.hdb").write_text(EICAR_SIGNATURE)
        lines = [
            "Foreground yes",
            f"TCPSocket {self.ports['CLAMD_PORT']}",
            "TCPAddr 127.0.0.1",
            f"DatabaseDirectory {db_dir}",
            f"TemporaryDirectory {self.root / 'clamav'}",
            # Large files behind download links go up to LARGE_FILE_MAX_MB (2 GB).
            "StreamMaxLength 2100M",
        ]
        if os.geteuid() == 0:
            lines.append("User root")
        (self.root / "clamav" / "clamd.conf").write_text("\n".join(lines) + "\n")

    def _configure_radicale(self) -> None:
        radicale_dir = self.root / "radicale"
        radicale_dir.mkdir(exist_ok=True)
        (radicale_dir / "config").write_text(
            "[server]\n"
            f"hosts = 127.0.0.1:{self.ports['RADICALE_PORT']}\n"
            # The master-user login "jean.dupont*webmail" has a '*'; the auth plugin
            # checks the final user name itself (deploy/radicale/webmail_radicale_auth.py).
            "validate_user_value = none\n"
            "[auth]\n"
            "type = webmail_radicale_auth\n"
            "dovecot_connection_type = AF_UNIX\n"
            f"dovecot_socket = {self.run_dir / 'dovecot' / 'auth-client'}\n"
            "lc_username = True\n"
            "strip_domain = True\n"
            "[rights]\n"
            "type = owner_only\n"
            "[storage]\n"
            f"filesystem_folder = {radicale_dir / 'collections'}\n"
            # Calendars shared with colleagues, as in production (deploy/production/radicale).
            "[sharing]\n"
            "type = csv\n"
            "collection_by_map = True\n"
            "permit_create_map = True\n"
            "permit_properties_overlay = True\n"
            "[logging]\n"
            "level = warning\n"
        )

    def _service_list(self) -> list[Service]:
        python = sys.executable
        app_env = {
            **self.env(),
            **self.app_env,
            "PYTHONPATH": str(REPO),
            "DJANGO_SETTINGS_MODULE": "webmail.settings",
        }
        services = [
            Service(
                "dovecot",
                ["dovecot", "-F", "-c", str(self.dovecot_dir / "dovecot.conf")],
                self.ports["IMAP_PORT"],
            ),
            Service(
                "relay",
                [
                    python,
                    "-m",
                    "scripts.mail_relay",
                    "--listen",
                    f"127.0.0.1:{self.ports['RELAY_PORT']}",
                    "--lmtp",
                    f"127.0.0.1:{self.ports['LMTP_PORT']}",
                    "--domain",
                    self.mail_domain,
                    "--capture-dir",
                    str(self.capture_dir),
                    # Port 25's stand-in, and list addresses delivered as aliases (read
                    # from the app's database, hence the app's environment).
                    "--mx-listen",
                    f"127.0.0.1:{self.ports['MX_PORT']}",
                    "--lists",
                ],
                self.ports["RELAY_PORT"],
                env=app_env,
            ),
            Service(
                "radicale",
                [python, "-m", "radicale", "--config", str(self.root / "radicale" / "config")],
                self.ports["RADICALE_PORT"],
                env={"PYTHONPATH": str(REPO / "deploy" / "radicale")},
            ),
            Service(
                "redis",
                [
                    "redis-server",
                    "--port",
                    str(self.ports["REDIS_PORT"]),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    # Like production (docker-compose.yml): kombu keeps its queue bindings in
                    # Redis, and a worker stops receiving tasks if a restart loses them.
                    "--appendonly",
                    "yes",
                    "--dir",
                    str(self.root),
                    "--logfile",
                    str(self.log_dir / "redis.log"),
                ],
                self.ports["REDIS_PORT"],
            ),
            Service(
                "clamd",
                ["clamd", "--config-file", str(self.root / "clamav" / "clamd.conf")],
                self.ports["CLAMD_PORT"],
                startup_seconds=120,
            ),
        ]
        if self.with_celery:
            # Restarted when they exit by themselves, like the containers in production.
            respawn = [python, "-m", "scripts.respawn", "--"]
            services += [
                Service(
                    "celery-worker",
                    [
                        *respawn,
                        python,
                        "-m",
                        "celery",
                        "-A",
                        "webmail",
                        "worker",
                        "--loglevel",
                        "INFO",
                        "--concurrency",
                        "2",
                        "--hostname",
                        f"worker-{os.getpid()}@%h",
                    ],
                    0,
                    env=app_env,
                ),
                Service(
                    "celery-beat",
                    [
                        *respawn,
                        python,
                        "-m",
                        "celery",
                        "-A",
                        "webmail",
                        "beat",
                        "--loglevel",
                        "INFO",
                        "--schedule",
                        str(self.root / "celerybeat-schedule"),
                    ],
                    0,
                    env=app_env,
                ),
            ]
        return services

    # ---- processes ----
    def start(self) -> None:
        """Configure and start every service not already running; wait until each answers."""
        if not self.services:
            self.configure()
        for service in self.services.values():
            self.start_service(service.name)

    def start_service(self, name: str) -> None:
        service = self.services[name]
        if self._running_pid(name):
            return
        if service.port and not port_is_free(service.port):
            raise StackError(
                f"{name}: port {service.port} is taken by another program. "
                f"Set {self._port_variable(service.port)} to a free port."
            )
        log = open(self.log_dir / f"{name}.out", "ab")  # noqa: SIM115 - owned by the child
        service.process = subprocess.Popen(
            service.argv,
            cwd=REPO,
            env={**os.environ, **service.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        (self.run_dir / f"{name}.pid").write_text(str(service.process.pid))
        if service.port and not wait_for_port(
            service.port, service.startup_seconds, service.process
        ):
            self.stop_service(name)
            tail = (self.log_dir / f"{name}.out").read_text(errors="replace")[-2000:]
            raise StackError(f"{name} did not start on port {service.port}. Its output:\n{tail}")

    def stop_service(self, name: str) -> None:
        pid = self._running_pid(name)
        pid_file = self.run_dir / f"{name}.pid"
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGTERM)
            _wait_gone(pid, timeout=15)
        service = self.services.get(name)
        if service and service.process:
            try:
                service.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(service.process.pid, signal.SIGKILL)
                service.process.wait()
            service.process = None
        pid_file.unlink(missing_ok=True)
        if service and service.port:
            _wait_port_closed(service.port, timeout=10)

    def stop(self, names: list[str] | None = None) -> None:
        """Stop the services (all by default): signal them all at once, then wait for each."""
        names = list(reversed(names if names is not None else list(self.services)))
        for name in names:
            pid = self._running_pid(name)
            if pid:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGTERM)
        for name in names:
            self.stop_service(name)

    def _running_pid(self, name: str) -> int | None:
        pid_file = self.run_dir / f"{name}.pid"
        try:
            pid = int(pid_file.read_text())
        except (OSError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        service = self.services.get(name)
        if service and service.process and service.process.poll() is not None:
            return None
        return pid

    def _port_variable(self, port: int) -> str:
        return next((key for key, value in self.ports.items() if value == port), "the port")


def _wait_gone(pid: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def _wait_port_closed(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                time.sleep(0.05)
        except OSError:
            return


def ssha512(secret: str) -> str:
    """Dovecot's {SSHA512} scheme: a fast salted hash, enough for a long random secret."""
    salt = secrets.token_bytes(16)
    digest = hashlib.sha512(secret.encode() + salt).digest()
    return "{SSHA512}" + base64.b64encode(digest + salt).decode()


# ---- command line (make demo / make servers-up / make servers-down) ----


def demo_stack(var_dir: Path) -> LocalStack:
    """The stack of `make demo`: var/, default ports (or the environment's), kept secret."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webmail.settings")
    django.setup()
    from django.conf import settings

    secret_file = var_dir / "mail-master-secret"
    if not secret_file.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        secret_file.write_text(secrets.token_urlsafe(32))
        secret_file.chmod(0o600)
    ports = {name: int(os.environ.get(name, default)) for name, default in DEFAULT_PORTS.items()}
    if "SIEVE_PORT" not in os.environ:
        ports["SIEVE_PORT"] = next_free_port(ports["SIEVE_PORT"])
    stack = LocalStack(
        root=var_dir / "stack",
        database=Database.from_django(settings.DATABASES["default"]),
        ports=ports,
        mail_domain=os.environ.get("MAIL_DOMAIN", "example.org"),
        master_password=secret_file.read_text().strip(),
    )
    stack.configure()
    return stack


def main() -> None:
    parser = argparse.ArgumentParser(description="Start or stop the local service stack.")
    parser.add_argument("command", choices=["up", "down"])
    parser.add_argument("--var", type=Path, default=REPO / "var")
    args = parser.parse_args()
    env_file = args.var / "stack.env"
    if args.command == "down":
        stack = LocalStack(root=args.var / "stack", database=Database("sqlite", ""), ports={})
        stack.stop([pid_file.stem for pid_file in stack.run_dir.glob("*.pid")])
        print("Local stack stopped.")
        return
    stack = demo_stack(args.var)
    if env_file.exists():  # reuse what runs: the ports of the last `up` win
        previous = dict(
            line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line
        )
        if any(stack._running_pid(name) for name in stack.services):
            print("Reusing the running local stack (make servers-down stops it).")
            for key in stack.ports:
                stack.ports[key] = int(previous.get(key, stack.ports[key]))
            stack.configure()
    try:
        stack.start()
    except StackError as exc:
        sys.exit(f"error: {exc}")
    env_file.write_text("".join(f"{key}={value}\n" for key, value in stack.env().items()))
    env_file.chmod(0o600)
    print("Local stack is up (logs in var/stack/log/):")
    for key in ("IMAP_PORT", "SMTP_PORT", "SIEVE_PORT", "LMTP_PORT"):
        print(f"  {key:14} 127.0.0.1:{stack.ports[key]}")
    print(f"  CalDAV         {stack.env()['CALDAV_URL']}")
    print(f"  Redis          {stack.env()['REDIS_URL']}")
    print(f"  ClamAV         127.0.0.1:{stack.ports['CLAMD_PORT']}")
    print(f"  Outgoing mail to other domains is captured in {stack.capture_dir}")


if __name__ == "__main__":
    main()
