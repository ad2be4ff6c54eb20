"""Backups of a whole installation, and restoring one (``manage.py backup`` / ``restore``).

A backup is one plain .tar file:

    database.sqlite3 | database.pgdump   the database image (backup_db.py)
    media/<path>                          every uploaded file under MEDIA_ROOT (attachments…)
    manifest.json                         what it is, written last (see ``_manifest``)

The manifest names the format version, the database vendor, the migrations applied, the rows of
every table, when it was made, and the SHA-256 of every other member, with one SHA-256 over that
list (``sha256``): the backup's content in one value. Restore reads the manifest first and refuses
a backup it must not apply (another vendor, a newer version of the program, no --yes), then
checks every member against its checksum before it changes anything, restores the database in
one step and the uploads by swapping the directory, and counts the rows again.

Encrypted fields travel as ciphertext only. The field keys (TONGXIN_FIELD_KEYS) are never in a
backup: the manifest names their ids so the operator knows which keys the restore needs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from . import audit, backup_db
from .models import AuditAction

FORMAT = "tongxin-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
CHUNK = 1 << 20
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

KEYS_NOTICE = (
    "注意：备份中的身份证号、手机号等只有加密后的密文，不包含字段加密密钥（TONGXIN_FIELD_KEYS）。"
    "请把密钥（本备份需要：{ids}）与备份分开、另行妥善保管；没有这些密钥，恢复后的加密数据无法解密。"
)
NOT_A_BACKUP = (
    "“{path}”不是同心的备份文件（{reason}）。请确认文件名，或换用 manage.py backup 生成的备份。"
)
NOT_FOUND = "找不到备份文件“{path}”，请检查路径。"
NEWER_FORMAT = "这份备份的格式（第{found}版）比本程序新（支持到第{known}版）。请先升级同心再恢复。"
WRONG_VENDOR = (
    "这份备份来自 {found} 数据库，当前配置的是 {current}，不能跨数据库恢复。"
    "请把 TONGXIN_DATABASE_URL 指向 {found} 数据库后再恢复。"
)
NEWER_MIGRATIONS = (
    "这份备份来自更新版本的同心（包含本程序没有的数据库迁移：{names}）。"
    "请先把程序升级到备份时的版本，再恢复。"
)
CONFIRM = (
    "恢复会用这份备份（{created}，{vendor}，{rows}行数据，{files}个附件文件）覆盖当前数据库“{target}”"
    "的全部数据{media}。请先停止应用服务和定时任务，确认无误后加 --yes 重新运行。"
)
CORRUPT = "备份文件已损坏：{detail}。没有做任何改动，请换用另一份备份。"
MEMBER_CHANGED = "“{name}”的校验和与清单不符"
MEMBER_MISSING = "缺少“{name}”"
MEMBER_UNEXPECTED = "含有清单之外的“{name}”"
CONTENT_CHANGED = "内容总校验和与清单不符"
COUNTS_DIFFER = (
    "恢复后核对行数与备份清单不一致：{detail}。请勿使用当前数据，换用另一份备份重新恢复。"
)
KEYS_MISSING = (
    "警告：备份加密数据所用的密钥 {ids} 不在当前的 TONGXIN_FIELD_KEYS 中；"
    "恢复后这些数据无法解密，直到把这些密钥加回配置。"
)
OLDER_MIGRATIONS = (
    "这份备份早于当前程序版本：请接着运行 python manage.py migrate 把数据库升级到当前版本。"
)
MEDIA_NOT_LOCAL = (
    "附件没有存放在本机目录（{storage}），备份中不含附件：请用该存储自己的备份手段保存附件。"
)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says what to do, in Chinese."""


# --- the archive ----------------------------------------------------------------------------------


@dataclass
class Made:
    path: Path
    manifest: dict[str, Any]

    @property
    def rows(self) -> int:
        return sum(self.manifest["tables"].values())


def _media_root() -> Path | None:
    """Where uploads live when they are on this machine's disk; None for any other storage."""
    if isinstance(default_storage, FileSystemStorage):
        return Path(default_storage.location)
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _content_sha256(files: dict[str, dict[str, Any]]) -> str:
    lines = "".join(f"{name}\t{files[name]['sha256']}\n" for name in sorted(files))
    return hashlib.sha256(lines.encode()).hexdigest()


def default_output() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"tongxin-{connection.vendor}-{stamp}.tar"


def make(output: Path | None = None) -> Made:
    """Write a backup of the database and the uploads to ``output`` (written under a temporary
    name and renamed when complete, so a backup file is never half a backup)."""
    target = Path(output) if output else default_output()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    files: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        image = backup_db.dump(Path(work))
        try:
            with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
                files[image.member] = _add(archive, image.member, image.path)
                media = _media_root()
                if media is not None and media.is_dir():
                    for path in sorted(p for p in media.rglob("*") if p.is_file()):
                        name = f"{MEDIA}/{path.relative_to(media).as_posix()}"
                        files[name] = _add(archive, name, path)
                manifest = _manifest(image, files, media_included=media is not None)
                _add_bytes(archive, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
            partial.chmod(0o600)  # names, units and work records in clear: for the operator only
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    with audit.acting_as(None, via="命令行 backup"):
        audit.record(
            AuditAction.EXPORT,
            object_type="backup",
            object_repr=target.name,
            detail=f"备份全部数据到 {target}（{sum(image.tables.values())}行，"
            f"{len(files) - 1}个附件）",
        )
    return Made(target, manifest)


def _add(archive: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    """Add ``path`` as ``name``, hashing the very bytes written (an upload is never rewritten in
    place, but it may be deleted meanwhile: the stat and the read come from one open file)."""
    with path.open("rb") as f:
        info = archive.gettarinfo(fileobj=f, arcname=name)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        hashing = _HashingReader(f)
        archive.addfile(info, hashing)
    return {"sha256": hashing.digest.hexdigest(), "size": info.size}


def _add_bytes(archive: tarfile.TarFile, name: str, text: str) -> None:
    data = text.encode()
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, _BytesReader(data))


class _HashingReader:
    def __init__(self, f: IO[bytes]) -> None:
        self._f = f
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._f.read(size)
        self.digest.update(data)
        return data


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self._data = data
        self._at = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._at + size
        data, self._at = self._data[self._at : end], min(end, len(self._data))
        return data


def _manifest(
    image: backup_db.Image, files: dict[str, dict[str, Any]], *, media_included: bool
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.localtime().isoformat(),
        "vendor": backup_db.vendor(),
        "database": image.member,
        "migrations": [list(m) for m in image.migrations],
        "tables": image.tables,
        "media": {"included": media_included, "files": len(files) - 1},
        "field_key_ids": [key_id for key_id, _ in settings.FIELD_KEYS],
        "keys_included": False,
        "files": files,
        "sha256": _content_sha256(files),
    }


# --- reading a backup -----------------------------------------------------------------------------


@dataclass
class Plan:
    """A backup judged against this installation: what restoring it will do."""

    path: Path
    manifest: dict[str, Any]
    older: bool = False
    drop_tables: list[str] = field(default_factory=list)
    missing_keys: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.manifest["tables"].values())

    def confirmation(self) -> str:
        media = "和全部附件" if self.manifest["media"]["included"] else ""
        return CONFIRM.format(
            created=self.manifest["created_at"][:19].replace("T", " "),
            vendor=VENDOR_NAMES.get(self.manifest["vendor"], self.manifest["vendor"]),
            rows=self.rows,
            files=self.manifest["media"]["files"],
            target=connection.settings_dict["NAME"],
            media=media,
        )


def read_manifest(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise BackupError(NOT_FOUND.format(path=path))
    try:
        with tarfile.open(path, "r:") as archive:
            member = archive.getmember(MANIFEST)
            stream = archive.extractfile(member)
            assert stream is not None
            manifest = json.loads(stream.read())
    except (tarfile.TarError, KeyError) as exc:
        raise BackupError(NOT_A_BACKUP.format(path=path, reason="不是完整的备份归档")) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(NOT_A_BACKUP.format(path=path, reason="清单无法读取")) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(NOT_A_BACKUP.format(path=path, reason="缺少同心备份清单"))
    return manifest


def plan(path: Path) -> Plan:
    """Judge the backup at ``path`` by its manifest; refuse what must not be restored here."""
    manifest = read_manifest(path)
    if int(manifest.get("format_version", 0)) > FORMAT_VERSION:
        raise BackupError(
            NEWER_FORMAT.format(found=manifest["format_version"], known=FORMAT_VERSION)
        )
    current = backup_db.vendor()
    if manifest.get("vendor") != current:
        found = manifest.get("vendor", "?")
        raise BackupError(
            WRONG_VENDOR.format(
                found=VENDOR_NAMES.get(found, found), current=VENDOR_NAMES.get(current, current)
            )
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    applied = {(str(app), str(name)) for app, name in manifest["migrations"]}
    newer = sorted(applied - known)
    if newer:
        names = "、".join(f"{app}.{name}" for app, name in newer[:5])
        raise BackupError(NEWER_MIGRATIONS.format(names=names + ("等" if len(newer) > 5 else "")))
    configured = {key_id for key_id, _ in settings.FIELD_KEYS}
    # Tables of a later migration that the backup lacks: dropped with the restore, so that
    # `migrate` can create them again.
    leftover = set(connection.introspection.django_table_names(include_views=False))
    leftover &= _existing_tables()
    return Plan(
        path=path,
        manifest=manifest,
        older=bool(known - applied),
        drop_tables=sorted(leftover - set(manifest["tables"])),
        missing_keys=[k for k in manifest.get("field_key_ids", []) if k not in configured],
    )


def _existing_tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


@contextmanager
def _unpacked(p: Plan, work: Path) -> Iterator[dict[str, Path]]:
    """Every member written under ``work`` and checked against the manifest, or CORRUPT."""
    expected: dict[str, dict[str, Any]] = p.manifest["files"]
    if _content_sha256(expected) != p.manifest.get("sha256"):
        raise BackupError(CORRUPT.format(detail=CONTENT_CHANGED))
    found: dict[str, Path] = {}
    try:
        with tarfile.open(p.path, "r:") as archive:
            for member in archive:
                if member.name == MANIFEST:
                    continue
                if member.name not in expected or not member.isfile() or not _safe(member.name):
                    raise BackupError(
                        CORRUPT.format(detail=MEMBER_UNEXPECTED.format(name=member.name))
                    )
                target = work / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                stream = archive.extractfile(member)
                assert stream is not None
                with target.open("wb") as out:
                    hashing = _HashingReader(stream)
                    shutil.copyfileobj(hashing, out, CHUNK)
                if hashing.digest.hexdigest() != expected[member.name]["sha256"]:
                    raise BackupError(
                        CORRUPT.format(detail=MEMBER_CHANGED.format(name=member.name))
                    )
                found[member.name] = target
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(CORRUPT.format(detail=f"归档无法读取（{exc}）")) from exc
    missing = sorted(set(expected) - set(found))
    if missing:
        raise BackupError(CORRUPT.format(detail=MEMBER_MISSING.format(name=missing[0])))
    yield found


def _safe(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts


# --- restoring ------------------------------------------------------------------------------------


@dataclass
class Restored:
    plan: Plan
    media_files: int
    notes: list[str]


def restore(p: Plan) -> Restored:
    """Restore the backup ``p`` judged by ``plan``: nothing changes unless every checksum holds."""
    media = _media_root()
    base = media.parent if media is not None else Path(settings.VAR_DIR)
    base.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    with tempfile.TemporaryDirectory(dir=base, prefix=".restore-") as tmp:
        work = Path(tmp)
        with _unpacked(p, work) as found:
            database = found[p.manifest["database"]]
            if p.manifest["database"] == backup_db.SQLITE_MEMBER:
                backup_db.sqlite_check(database)
            backup_db.load(database, drop_tables=p.drop_tables)
            files = 0
            if p.manifest["media"]["included"] and media is not None:
                files = _swap_media(work / MEDIA, media)
            elif p.manifest["media"]["included"]:
                notes.append(MEDIA_NOT_LOCAL.format(storage=type(default_storage).__name__))
    _check_counts(p.manifest["tables"])
    if p.older:
        notes.append(OLDER_MIGRATIONS)
    if p.missing_keys:
        notes.append(KEYS_MISSING.format(ids="、".join(p.missing_keys)))
    return Restored(plan=p, media_files=files, notes=notes)


def _swap_media(unpacked: Path, media: Path) -> int:
    """The uploads become exactly the backup's: the new directory is moved into place whole."""
    unpacked.mkdir(parents=True, exist_ok=True)
    files = sum(1 for f in unpacked.rglob("*") if f.is_file())
    old = media.with_name(f".{media.name}.old-{dt.datetime.now():%Y%m%d%H%M%S%f}")
    if media.exists():
        media.rename(old)
    unpacked.rename(media)
    shutil.rmtree(old, ignore_errors=True)
    return files


def _check_counts(expected: dict[str, int]) -> None:
    found = backup_db.table_counts()
    differ = [
        f"{table} 应为{rows}行，实为{found.get(table, 0)}行"
        for table, rows in sorted(expected.items())
        if found.get(table, 0) != rows
    ]
    if differ:
        raise BackupError(COUNTS_DIFFER.format(detail="；".join(differ[:5])))


def keys_notice(key_ids: list[str]) -> str:
    return KEYS_NOTICE.format(ids="、".join(key_ids) or "无")
