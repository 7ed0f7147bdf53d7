"""The helpdesk role becomes a permission, accounts.act_as_helpdesk, held by the
"Helpdesk" group this migration creates (or completes, where it already exists)."""

from django.db import migrations

HELPDESK_GROUP = "Helpdesk"
CODENAME = "act_as_helpdesk"
NAME = "Can act as helpdesk: search accounts, reset passwords and two-factor, unlock"


def create_helpdesk_group(apps, schema_editor):
    # Permissions are otherwise created after all migrations (post_migrate): make this
    # one now so that the group can hold it.
    content_type, _ = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="accounts", model="user"
    )
    permission, _ = apps.get_model("auth", "Permission").objects.get_or_create(
        codename=CODENAME, content_type=content_type, defaults={"name": NAME}
    )
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=HELPDESK_GROUP)
    group.permissions.add(permission)


def remove_permission_from_group(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=HELPDESK_GROUP).first()
    if group is not None:
        group.permissions.remove(*group.permissions.filter(codename=CODENAME))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="user",
            options={
                "permissions": [("act_as_helpdesk", NAME)],
                "verbose_name": "account",
                "verbose_name_plural": "accounts",
            },
        ),
        migrations.RunPython(create_helpdesk_group, remove_permission_from_group),
    ]
