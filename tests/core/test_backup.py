"""manage.py backup and restore: a verified round trip on whichever database the suite runs, and
every refusal leaves the database and the uploads as they were."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tongxin.core import backup
from tongxin.core.ids import make_id_number
from tongxin.core.models import Region, RegionKind
from tongxin.registry.models import ImportJob, Person

from ..conftest import Cast
from .dbstate import django_state


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Uploads on disk, as in production (the suite keeps them in memory otherwise)."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return root


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _stored(person: Person, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM registry_person WHERE id = %s",  # noqa: S608
            [person.pk],
        )
        return str(cursor.fetchone()[0])


def _backup(path: Path) -> str:
    out = io.StringIO()
    call_command("backup", output=path, stdout=out)
    return out.getvalue()


def _restore(path: Path, *, yes: bool = True) -> str:
    out = io.StringIO()
    call_command("restore", str(path), yes=yes, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_brings_back_every_table_and_upload_byte_for_byte(
    media: Path, cast: Cast, tmp_path: Path
) -> None:
    person = cast.records.person
    id_number = make_id_number("510603", dt.date(1990, 1, 1), 7, "F")
    ciphertext = _stored(person, "id_number")
    assert id_number not in ciphertext  # at rest, only ciphertext
    before, uploads = django_state(), _files(media)
    assert uploads  # the roster of the cast's import job is on disk

    said = _backup(tmp_path / "b.tar")
    assert "不包含字段加密密钥" in said and "TONGXIN_FIELD_KEYS" in said

    # Afterwards, a day of work and damage: changed, new and deleted rows, files gone and added.
    Person.objects.filter(pk=person.pk).update(employer="改过的单位", id_number="k1$damaged")
    Region.objects.create(code="510699", name="新增区", kind=RegionKind.DISTRICT, parent=cast.city)
    job = ImportJob.objects.get(pk=cast.records.job.pk)
    job.file.delete(save=False)
    job.delete()
    (media / "later.txt").write_text("备份之后上传的文件")
    assert django_state() != before

    said = _restore(tmp_path / "b.tar")

    assert "行数与备份清单一致" in said and "不包含字段加密密钥" in said
    assert django_state() == before
    assert _files(media) == uploads
    assert _stored(person, "id_number") == ciphertext
    assert Person.objects.get(pk=person.pk).id_number == id_number  # decrypts with the same keys


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_made_while_the_app_writes_holds_what_its_manifest_counts(
    cast: Cast, tmp_path: Path
) -> None:
    made = backup.make(tmp_path / "b.tar")
    Region.objects.create(
        code="510698", name="备份后新增", kind=RegionKind.DISTRICT, parent=cast.city
    )
    assert made.manifest["tables"]["core_region"] == Region.objects.count() - 1

    _restore(tmp_path / "b.tar")

    assert not Region.objects.filter(code="510698").exists()


# --- refusals: nothing changes ------------------------------------------------------------------


def _rewrite(path: Path, *, manifest: dict[str, Any] | None = None, damage: str = "") -> None:
    """The backup at ``path`` with its manifest replaced, or one member's bytes damaged."""
    with tarfile.open(path) as archive:
        members = [(m, archive.extractfile(m).read()) for m in archive.getmembers()]  # type: ignore[union-attr]
    with tarfile.open(path, "w") as archive:
        for member, data in members:
            if member.name == backup.MANIFEST and manifest is not None:
                data = json.dumps(manifest).encode()
                member.size = len(data)
            if member.name == damage:
                middle = len(data) // 2
                data = data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]
            archive.addfile(member, io.BytesIO(data))


# Transactional like the round trip: SQLite's online backup copies committed pages only, and
# pg_dump sees only what is committed.
REFUSAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def made(media: Path, tmp_path: Path) -> Path:
    (media / "attachments").mkdir(parents=True)
    (media / "attachments" / "a.txt").write_text("附件")
    path = tmp_path / "b.tar"
    backup.make(path)
    (media / "attachments" / "b.txt").write_text("备份之后的附件")
    return path


def _other_vendor(manifest: dict[str, Any]) -> dict[str, Any]:
    return {**manifest, "vendor": "postgresql" if connection.vendor == "sqlite" else "sqlite"}


def _newer(manifest: dict[str, Any]) -> dict[str, Any]:
    return {**manifest, "migrations": [*manifest["migrations"], ["registry", "9999_future"]]}


@REFUSAL
@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(
            lambda path: _rewrite(path, manifest=_other_vendor(backup.read_manifest(path))),
            "不能跨数据库恢复",
            id="another-vendor",
        ),
        pytest.param(
            lambda path: _rewrite(path, manifest=_newer(backup.read_manifest(path))),
            "来自更新版本的同心（包含本程序没有的数据库迁移：registry.9999_future）",
            id="newer-migrations",
        ),
        pytest.param(
            lambda path: _rewrite(path, damage=backup.read_manifest(path)["database"]),
            "备份文件已损坏",
            id="damaged-database",
        ),
        pytest.param(
            lambda path: _rewrite(path, damage="media/attachments/a.txt"),
            "“media/attachments/a.txt”的校验和与清单不符",
            id="damaged-upload",
        ),
        pytest.param(
            lambda path: path.write_bytes(path.read_bytes()[:5000]),
            "不是同心的备份文件",
            id="truncated",
        ),
    ],
)
def test_a_restore_refuses_a_backup_it_must_not_apply_and_changes_nothing(
    made: Path, media: Path, change: Any, message: str
) -> None:
    change(made)
    before, uploads = django_state(), _files(media)

    with pytest.raises(CommandError, match=message.replace("（", r"\（").replace("）", r"\）")):
        _restore(made)

    assert django_state() == before
    assert _files(media) == uploads


@REFUSAL
def test_a_restore_without_yes_says_what_it_would_overwrite_and_changes_nothing(
    made: Path, media: Path
) -> None:
    before, uploads = django_state(), _files(media)

    with pytest.raises(CommandError) as refused:
        _restore(made, yes=False)

    assert "加 --yes 重新运行" in str(refused.value)
    assert "覆盖当前数据库" in str(refused.value)
    assert django_state() == before
    assert _files(media) == uploads


@REFUSAL
def test_a_backup_names_its_content_and_keeps_no_key(made: Path, settings: Any) -> None:
    manifest = backup.read_manifest(made)

    assert manifest["vendor"] == connection.vendor
    assert manifest["format_version"] == backup.FORMAT_VERSION
    assert ["registry", "0001_initial"] in manifest["migrations"]
    assert manifest["tables"]["registry_codeitem"] > 0
    assert manifest["media"] == {"included": True, "files": 1}
    assert manifest["keys_included"] is False
    assert manifest["field_key_ids"] == [key_id for key_id, _ in settings.FIELD_KEYS]
    with tarfile.open(made) as archive:
        content = b"".join(
            archive.extractfile(m).read()  # type: ignore[union-attr]
            for m in archive.getmembers()
        )
    for _, key in settings.FIELD_KEYS:
        assert key not in content
        assert base64.urlsafe_b64encode(key) not in content
    assert oct(made.stat().st_mode & 0o777) == "0o600"
