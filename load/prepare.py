"""Accounts for `make load`: 50 people at work, each with a fresh API token.

30 district staff (5 in each district), 8 city staff (one business line each), 6 leaders and 6
member-unit liaisons (one unit each, so that no two liaisons race for one case). Run with the
load database's settings (load/run.py does); writes the accounts, their passwords and tokens to
``$TONGXIN_VAR_DIR/load_accounts.json`` — secrets, so never into the repository. Idempotent:
existing accounts are kept, their earlier load tokens revoked.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxin.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402

from tongxin.core import audit, services  # noqa: E402
from tongxin.core.models import ApiToken, BusinessLine, Region, Role, Unit, User  # noqa: E402

PASSWORD = os.environ.get("LOAD_PASSWORD", "Load@2026-tongxin")
TOKEN_NAME = "负载测试"  # noqa: S105 - the token's label
DISTRICTS = ["510603", "510604", "510623", "510681", "510682", "510683"]
# The lines that keep people (a roster's 人员类别 must belong to the importer's line); 干部 and
# 宣传 keep none, so they cannot import a roster.
CATEGORY_OF_LINE = {
    "新阶": "新的社会阶层人士",
    "非公经济": "非公有制经济人士",
    "党派": "无党派人士",
    "民族宗教": "少数民族人士",
    "港澳台侨": "华侨、归侨及侨眷",
    "办公室": "其他需要联系和团结的人员",
}
CITY_LINES = [*CATEGORY_OF_LINE, "新阶", "非公经济"]
LIAISON_UNITS = ["市司法局", "市民政局", "市工商联", "市经信局", "市教育局", "市委宣传部"]
# The unit a staff member hands a case to when they carry it through themselves: one without a
# load liaison, so that only its keeper moves it.
OWN_FLOW_UNIT = {"510600": "市委组织部", **dict.fromkeys(DISTRICTS, "市委组织部")}
DISTRICT_STAFF_EACH = 5
LEADERS = 6


def _plan() -> list[dict[str, Any]]:
    plan: list[dict[str, Any]] = []
    for code in DISTRICTS:
        for i in range(DISTRICT_STAFF_EACH):
            plan.append({"kind": "district", "region": code, "n": i})
    plan += [{"kind": "city", "region": "510600", "line": line} for line in CITY_LINES]
    plan += [{"kind": "leader", "region": "510600", "n": i} for i in range(LEADERS)]
    plan += [{"kind": "liaison", "region": "510600", "unit": u} for u in LIAISON_UNITS]
    return plan


def _account(spec: dict[str, Any], index: int) -> User:
    regions = {r.code: r for r in Region.objects.all()}
    units = {u.short_name: u for u in Unit.objects.all()}
    region = regions[spec["region"]]
    username = f"load_{index:02d}"
    fields: dict[str, Any] = {"name": f"压测{index:02d}", "region": region, "title": "负载测试"}
    lines: list[BusinessLine] = []
    if spec["kind"] == "district":
        fields.update(
            role=Role.DISTRICT_STAFF,
            unit=Unit.objects.get(region=region, short_name__endswith="统战部"),
        )
    elif spec["kind"] == "city":
        fields.update(role=Role.CITY_STAFF, unit=units["市委统战部"])
        lines = [BusinessLine.objects.get(name=spec["line"])]
    elif spec["kind"] == "leader":
        fields.update(role=Role.LEADER, unit=None)
    else:
        fields.update(role=Role.LIAISON, unit=units[spec["unit"]])
    user = User.objects.filter(username=username).first()
    if user is None:
        return services.user_create(
            actor=None, username=username, lines=lines, password=PASSWORD, **fields
        )
    services.user_update(actor=None, user=user, lines=lines, is_active=True, **fields)
    if not user.check_password(PASSWORD):
        services.user_set_password(actor=None, user=user, password=PASSWORD)
    return user


@transaction.atomic
def prepare() -> list[dict[str, Any]]:
    units = {u.short_name: u for u in Unit.objects.all()}
    accounts = []
    with audit.acting_as(None, via="负载测试准备"):
        for index, spec in enumerate(_plan(), start=1):
            user = _account(spec, index)
            for old in ApiToken.objects.filter(user=user, name=TOKEN_NAME, revoked_at=None):
                services.token_revoke(actor=None, token=old)
            _, raw = services.token_create(actor=None, user=user, name=TOKEN_NAME)
            accounts.append(
                {
                    "kind": spec["kind"],
                    "username": user.username,
                    "password": PASSWORD,
                    "token": raw,
                    "region": spec["region"],
                    "line": spec.get("line"),
                    "category": CATEGORY_OF_LINE.get(spec.get("line") or "新阶"),
                    "unit_id": user.unit_id,
                    "own_flow_unit": units[OWN_FLOW_UNIT[spec["region"]]].pk,
                    "handover_units": [units[u].pk for u in LIAISON_UNITS],
                }
            )
    return accounts


def main() -> int:
    accounts = prepare()
    path = Path(settings.VAR_DIR) / "load_accounts.json"
    path.write_text(json.dumps(accounts, ensure_ascii=False, indent=1))
    path.chmod(0o600)
    sys.stdout.write(f"负载测试账号 {len(accounts)} 个，令牌已写入 {path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
