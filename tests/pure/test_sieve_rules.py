"""Rules, out-of-office and forwarding written as Sieve, and read back."""

from datetime import date

import pytest

from mailbox.sieve_rules import (
    Action,
    Condition,
    FilterScript,
    Forwarding,
    RawBlock,
    Rule,
    RuleError,
    Vacation,
    parse,
    quote,
    to_sieve,
)


def school_rule(**overrides) -> Rule:
    values = {
        "name": "Classe de 3e B",
        "conditions": [
            Condition("from", "contains", "college.fr"),
            Condition("subject", "is", "Conseil de classe"),
        ],
        "actions": [Action("move", "Classes/3e B"), Action("label", "$label_abc")],
    }
    return Rule(**(values | overrides))


def test_quote_escapes_backslashes_and_quotes():
    assert quote('a "b" \\ c') == '"a \\"b\\" \\\\ c"'


def test_a_value_cannot_close_the_string_and_add_commands():
    rule = school_rule(conditions=[Condition("subject", "contains", '" { discard; } if true {"')])
    script = to_sieve(FilterScript(items=[rule]))
    assert 'header :contains ["subject"] "\\" { discard; } if true {\\""' in script
    assert "\ndiscard;" not in script


def test_a_rule_becomes_an_if_with_its_tests_and_actions_flags_first():
    rule = school_rule(actions=[Action("move", "Classes"), Action("mark_read"), Action("stop")])
    code = rule.code()
    assert code.startswith('if allof (header :contains ["from"] "college.fr", ')
    assert 'header :is ["subject"] "Conseil de classe")' in code
    assert (
        code.index('addflag "\\\\Seen";') < code.index('fileinto "Classes";') < code.index("stop;")
    )


def test_any_of_address_size_and_custom_header():
    rule = school_rule(
        match_all=False,
        conditions=[
            Condition("to_cc", "is", "parents@college.fr"),
            Condition("size", "over", "500"),
            Condition("header", "matches", "*bulk*", header_name="X-Mailer"),
        ],
        actions=[Action("forward_copy", "moi@exemple.fr")],
    )
    assert rule.code() == (
        'if anyof (address :is ["to", "cc"] "parents@college.fr", size :over 500K, '
        'header :matches ["X-Mailer"] "*bulk*") {\n    redirect :copy "moi@exemple.fr";\n}\n'
    )


def test_the_require_line_names_only_what_is_used():
    script = to_sieve(FilterScript(items=[school_rule()]))
    assert 'require ["fileinto", "imap4flags"];' in script


@pytest.mark.parametrize(
    "condition",
    [
        Condition("subject", "contains", ""),
        Condition("subject", "contains", "two\nlines"),
        Condition("header", "is", "x", header_name="Bad: name"),
        Condition("size", "over", "ten"),
        Condition("date", "is", "x"),
    ],
)
def test_bad_conditions_are_refused(condition):
    with pytest.raises(RuleError):
        to_sieve(FilterScript(items=[school_rule(conditions=[condition])]))


def test_rules_vacation_and_forwarding_read_back_as_written():
    script = FilterScript(
        items=[school_rule(), school_rule(name="Off", enabled=False)],
        vacation=Vacation(
            enabled=True,
            subject='Absent "jusqu\'au" lundi',
            body="Bonjour,\nje suis absent.\\n",
            addresses=["jean@exemple.fr"],
            days=3,
            start=date(2026, 7, 1),
            end=date(2026, 7, 31),
        ),
        forwarding=Forwarding(enabled=True, address="jean@ailleurs.fr", keep_copy=False),
    )
    text = to_sieve(script)
    again = parse(text)
    assert again.items == script.items
    assert again.vacation == script.vacation
    assert again.forwarding == script.forwarding
    assert to_sieve(again) == text
    assert again.rules[1].code() == ""  # a disabled rule keeps its settings, no code


def test_vacation_skips_lists_and_robots_and_checks_its_dates():
    code = Vacation(True, "Absent", "Bonjour", ["a@b.fr"], 5, date(2026, 7, 1), None).code()
    assert 'currentdate :value "ge" "date" "2026-07-01"' in code
    assert '"le"' not in code
    assert 'not exists ["list-id", "list-unsubscribe"]' in code
    assert 'not header :contains "precedence" ["bulk", "list", "junk"]' in code
    assert 'vacation :days 5 :subject "Absent" :from "a@b.fr" :addresses ["a@b.fr"]' in code


def test_forwarding_with_a_copy_goes_on_to_the_rules():
    assert Forwarding(True, "x@y.fr", True).code() == 'redirect :copy "x@y.fr";\n'
    assert Forwarding(True, "x@y.fr", False).code() == 'redirect "x@y.fr";\nstop;\n'


def test_a_foreign_script_is_kept_verbatim_with_its_requires_first():
    foreign = (
        'require ["body", "fileinto"];\nif body :contains "urgent" {\n  fileinto "Urgent";\n}\n'
    )
    script = parse(foreign)
    assert script.items == [RawBlock('if body :contains "urgent" {\n  fileinto "Urgent";\n}\n')]
    script.items.append(school_rule())
    text = to_sieve(script)
    assert 'require ["body", "fileinto", "imap4flags"];' in text
    assert text.index('if body :contains "urgent"') < text.index("# webmail-rule")


def test_a_rule_edited_by_hand_is_kept_as_text_not_rewritten():
    text = to_sieve(FilterScript(items=[school_rule(), school_rule(name="Second")]))
    edited = text.replace('fileinto "Classes/3e B";', 'fileinto "Ailleurs";', 1)
    script = parse(edited)
    assert isinstance(script.items[0], RawBlock)
    assert 'fileinto "Ailleurs";' in script.items[0].text
    assert script.items[1] == school_rule(name="Second")
    assert to_sieve(script) == edited


def test_a_foreign_script_keeps_an_extension_it_uses_in_a_way_we_do_not_write():
    foreign = (
        'require ["imap4flags"];\nif header :contains "subject" "x" {\n'
        '  setflag "\\\\Flagged";\n}\n'
    )
    script = parse(foreign)
    assert 'require ["imap4flags"];' in to_sieve(script)
    assert parse(to_sieve(FilterScript(items=[school_rule()]))).extra_requires == []
