"""Settings from the environment: safe defaults, and a clear stop on a malformed value."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from webmail.env import (
    env_bool,
    env_int,
    env_list,
    env_secret,
    next_redis_database,
    redis_database,
    redis_url_with_database,
    same_redis_database,
)


def test_defaults_apply_when_unset(monkeypatch):
    monkeypatch.delenv("WM_TEST", raising=False)
    assert env_bool("WM_TEST", False) is False
    assert env_int("WM_TEST", 1143) == 1143
    assert env_list("WM_TEST", ["a"]) == ["a"]


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("yes", True), ("off", False)])
def test_booleans(monkeypatch, raw, expected):
    monkeypatch.setenv("WM_TEST", raw)
    assert env_bool("WM_TEST") is expected


@pytest.mark.parametrize(
    ("reader", "raw"), [(env_bool, "peut-être"), (lambda name: env_int(name, 1), "huit")]
)
def test_malformed_values_stop_start_up(monkeypatch, reader, raw):
    monkeypatch.setenv("WM_TEST", raw)
    with pytest.raises(ImproperlyConfigured, match="WM_TEST"):
        reader("WM_TEST")


def test_secret_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("WM_TEST_FILE", str(secret))
    assert env_secret("WM_TEST") == "s3cret"
    monkeypatch.setenv("WM_TEST_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="WM_TEST_FILE"):
        env_secret("WM_TEST")


def test_lists_split_on_commas(monkeypatch):
    monkeypatch.setenv("WM_TEST", "mail.example.org, webmail.example.org,")
    assert env_list("WM_TEST", []) == ["mail.example.org", "webmail.example.org"]


@pytest.mark.parametrize(
    ("url", "database", "next_database"),
    [
        ("redis://127.0.0.1:6380/0", 0, "redis://127.0.0.1:6380/1"),
        ("redis://:s3cret@redis:6379", 0, "redis://:s3cret@redis:6379/1"),
        ("rediss://redis/3?ssl_cert_reqs=none", 3, "rediss://redis/4?ssl_cert_reqs=none"),
        ("redis://redis/?db=4", 4, "redis://redis/5"),
        ("unix:///run/redis.sock?db=2", 2, "unix:///run/redis.sock?db=3"),
    ],
)
def test_the_cache_takes_the_next_redis_database(url, database, next_database):
    assert redis_database(url) == database
    assert redis_url_with_database(url, database + 1) == next_database
    assert next_redis_database(url) == next_database
    assert not same_redis_database(url, next_database)


def test_the_same_database_written_two_ways_is_recognised():
    assert same_redis_database("redis://redis:6379", "redis://redis:6379/0")
    assert same_redis_database("redis://redis:6379/?db=1", "redis://redis:6379/1")
    with pytest.raises(ImproperlyConfigured, match="no Redis database"):
        redis_database("redis://redis:6379/zero")
