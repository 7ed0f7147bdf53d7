"""The kept-connection pool: one idle connection per user, the least recently used
closed first past the cap, none kept past the idle time."""

import time

from mailbox.services.imap_pool import ConnectionPool


def pool_with_log():
    closed = []
    return ConnectionPool(close=closed.append), closed


def test_a_connection_is_lent_to_one_session_at_a_time(settings):
    settings.IMAP_POOL_SIZE, settings.IMAP_POOL_IDLE_SECONDS = 10, 300
    pool, closed = pool_with_log()
    pool.give_back("alice", "connection A")

    assert pool.take("alice") == "connection A"
    assert pool.take("alice") is None  # a second request meanwhile opens its own
    assert pool.take("bruno") is None
    assert closed == []


def test_past_the_cap_the_least_recently_used_goes(settings):
    settings.IMAP_POOL_SIZE, settings.IMAP_POOL_IDLE_SECONDS = 2, 300
    pool, closed = pool_with_log()
    pool.give_back("alice", "A")
    pool.give_back("bruno", "B")
    pool.give_back("alice", "A2")  # alice's second connection replaces her first
    pool.give_back("chloe", "C")

    assert closed == ["A", "B"]
    assert not pool.holds("bruno")
    assert pool.holds("alice")
    assert pool.holds("chloe")


def test_idle_connections_are_closed_and_not_lent(settings):
    settings.IMAP_POOL_SIZE, settings.IMAP_POOL_IDLE_SECONDS = 10, 0
    pool, closed = pool_with_log()
    pool.give_back("alice", "A")
    time.sleep(0.01)

    assert pool.take("alice") is None
    assert closed == ["A"]


def test_nothing_is_kept_when_turned_off(settings):
    settings.IMAP_POOL_SIZE, settings.IMAP_POOL_IDLE_SECONDS = 10, 300
    pool, closed = pool_with_log()
    pool.enabled = False
    pool.give_back("alice", "A")

    assert closed == ["A"]
    assert not pool.holds("alice")
