"""The user's filters: read from and written to their active Sieve script.

One script is ours (services.sieve.SCRIPT_NAME) and active. When another client made a
different script active, its whole text is read as blocks the page cannot show and kept
in ours, in place, at the next save; the other script itself stays on the server,
inactive. Scripts that were not active are never read or changed.
"""

import hashlib

from accounts.mail_account import MailAccount
from mailbox.services import sieve
from mailbox.sieve_rules import FilterScript, parse, to_sieve


def load(account: MailAccount) -> FilterScript:
    """The rules, out-of-office and forwarding of the active script.

    Raises FilterServerUnavailable."""
    return parse(load_text(account))


def load_versioned(account: MailAccount) -> tuple[FilterScript, str]:
    """The script and a version string that changes with any change to its text: pages
    send it back, so that a rule moved or deleted by position is the one the user saw."""
    text = load_text(account)
    return parse(text), version_of(text)


def version_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def load_text(account: MailAccount) -> str:
    with sieve.session_for(account) as session:
        return session.active_script().text


def save(account: MailAccount, script: FilterScript) -> None:
    """Write and activate our script. Raises ScriptRejected, FilterServerUnavailable."""
    save_text(account, to_sieve(script))


def save_text(account: MailAccount, text: str) -> None:
    """Write and activate text as our script. The server compiles it as it is stored:
    ScriptRejected carries its error, and nothing changes."""
    with sieve.session_for(account) as session:
        session.put_script(text)
