"""Search keys of names written with Chinese characters outside the common block (CJK
Extension A and beyond, compatibility ideographs, radicals): cases.names now reads them as
Chinese, as it does U+4E00 to U+9FFF, so their stored keys are computed again."""

from django.db import migrations

from cases.names import search_key

# The Han characters cases.names did not read as Chinese before.
NEWLY_HAN = (
    "[\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\uf900-\ufaff"
    "\U00020000-\U000323af]"
)


def rekey(apps, schema_editor):
    PersonName = apps.get_model("cases", "PersonName")
    changed = []
    for name in PersonName.objects.filter(value__regex=NEWLY_HAN).only("value", "search_key"):
        key = search_key(name.value)
        if key != name.search_key:
            name.search_key = key
            changed.append(name)
    PersonName.objects.bulk_update(changed, ["search_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_public_entries_built")]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
