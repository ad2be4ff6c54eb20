"""The staff form that opens an activity for sign-up."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from tongxin.core import access
from tongxin.core.models import Region, User
from tongxin.core.versioning import FIELD, VersionField
from tongxin.registry.models import Organization
from tongxin.work.models import Activity

from .models_events import SignupOpening
from .selectors_joins import joinable_q


def member_organizations(user: User) -> QuerySet[Organization]:
    """Organizations in the user's scope that keep members: the 联谊组织 and 服务团, and any
    other organization with members on the roster."""
    with_members = Organization.objects.filter(memberships__isnull=False).values("pk")
    return (
        access.scope(user, Organization.objects.filter(archived_at__isnull=True))
        .filter(joinable_q() | Q(pk__in=with_members))
        .select_related("region")
        .order_by("region__depth", "name_pinyin", "pk")
    )


class OpeningForm(forms.Form):
    capacity = forms.IntegerField(label="名额（人）", min_value=1)
    deadline = forms.DateTimeField(
        label="报名截止",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    region = forms.ModelChoiceField(
        label="可报名区域",
        queryset=Region.objects.none(),
        help_text="该区域及下辖区域的人员可以报名。",
    )
    members_of = forms.ModelChoiceField(
        label="仅限该组织成员",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="不限",
    )
    description = forms.CharField(
        label="报名须知",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="报名的人在门户里看到，如集合时间、着装、需要携带的材料。",
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        activity: Activity,
        opening: SignupOpening | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = access.scope(user, Region.objects.all())  # type: ignore[attr-defined]
        self.fields["members_of"].queryset = member_organizations(user)  # type: ignore[attr-defined]
        self.fields["members_of"].label_from_instance = lambda o: f"{o.name}（{o.region.name}）"  # type: ignore[attr-defined]
        if opening is None:
            self.initial.setdefault("region", activity.region_id)
        else:
            self.initial.update(
                capacity=opening.capacity,
                deadline=opening.deadline,
                region=opening.region_id,
                members_of=opening.members_of_id,
                description=opening.description,
            )
            self.fields[FIELD] = VersionField(initial=opening.version)
            self.initial[FIELD] = opening.version
