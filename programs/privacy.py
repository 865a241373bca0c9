"""The programs app's part of "Mijn gegevens" (``mentoring.privacy_registry``).

Export: the imports a staff member uploaded (file name, kind, when). Nothing else here
points at a person's account; schoolcoaches are not accounts (docs/privacy.md). Nothing is
erased: an import log names its uploader only by account.
"""

from __future__ import annotations

from mentoring.privacy_registry import register, rows

from .importing.models import ImportRun


def export_user(user) -> dict:
    return {
        "imports": rows(
            ImportRun.objects.filter(created_by=user),
            ("program_id", "kind", "status", "file_name", "created_at", "committed_at"),
        )
    }


register("programs", export=export_user, order=15)
