"""People and families belong to the group that holds their record (filled in by the next
migration, which PostgreSQL needs in a transaction of its own); families are listed by label."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0008_encrypt_contacts_and_id_numbers'),
        ('orgs', '0002_audit_log'),
    ]

    operations = [
        migrations.AddField(
            model_name='family',
            name='organization',
            field=models.ForeignKey(blank=True, help_text='The group whose members see this record.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='families', to='orgs.organization', verbose_name='holding organization'),
        ),
        migrations.AddField(
            model_name='historicalfamily',
            name='organization',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='The group whose members see this record.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.organization', verbose_name='holding organization'),
        ),
        migrations.AddField(
            model_name='historicalperson',
            name='organization',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='The group whose members see this record.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.organization', verbose_name='holding organization'),
        ),
        migrations.AddField(
            model_name='person',
            name='organization',
            field=models.ForeignKey(blank=True, help_text='The group whose members see this record.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='people', to='orgs.organization', verbose_name='holding organization'),
        ),
        migrations.AddIndex(
            model_name='family',
            index=models.Index(fields=['label'], name='family_label_idx'),
        ),
    ]
