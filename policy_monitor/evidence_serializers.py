"""The evidence chain in the API: each detail answer of a recommendation,
submission, law or campaign demand carries `evidence`, the linked records the
reader may see (policy_monitor.evidence), each as id, title, API address and
screen address."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from policy_monitor import evidence


class LinkSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True, help_text=_("The record in the API."))
    page = serializers.CharField(read_only=True, help_text=_("The record's screen."))


class EvidenceSerializer(serializers.Serializer):
    recommendations = LinkSerializer(many=True, read_only=True, required=False)
    datasets = LinkSerializer(many=True, read_only=True, required=False)
    submissions = LinkSerializer(many=True, read_only=True, required=False)
    demands = LinkSerializer(many=True, read_only=True, required=False)
    policies = LinkSerializer(many=True, read_only=True, required=False)


def _ref(obj, title, api_name, page) -> dict:
    return {
        "id": obj.pk,
        "title": str(title),
        "url": reverse(api_name, args=[obj.pk]),
        "page": page,
    }


def link(kind: str, obj) -> dict:
    """One linked record as the API shows it."""
    if kind == "recommendations":
        return _ref(
            obj,
            obj,
            "api:recommendation-detail",
            reverse("policy_monitor:recommendation_detail", args=[obj.pk]),
        )
    if kind == "datasets":
        return _ref(
            obj,
            obj.title,
            "api:statistics-dataset-detail",
            reverse("statistics:dataset_detail", args=[obj.pk]),
        )
    if kind == "submissions":
        return _ref(
            obj,
            obj.title,
            "api:submission-detail",
            reverse("policy_monitor:submission_detail", args=[obj.pk]),
        )
    if kind == "demands":
        page = reverse("campaigns:campaign_detail", args=[obj.campaign_id])
        return _ref(obj, obj.text[:120], "api:demand-detail", f"{page}#demand-{obj.pk}")
    return _ref(
        obj, obj.title, "api:policy-detail", reverse("policy_monitor:policy_detail", args=[obj.pk])
    )


def chain_output(chain: dict) -> dict:
    """Every kind of the chain, each a list (empty where the record has none of it)."""
    return {kind: [link(kind, obj) for obj in chain.get(kind, ())] for kind in evidence.CHAIN}


def _reader(serializer):
    request = serializer.context.get("request")
    return request.user if request is not None else None


class EvidenceMixin(serializers.Serializer):
    """Adds `evidence` to a detail serializer; `chain(user, obj)` gives the lists."""

    evidence = serializers.SerializerMethodField(
        help_text=_("The linked records of the evidence chain that you may read.")
    )

    def chain(self, user, obj) -> dict:
        raise NotImplementedError

    @extend_schema_field(EvidenceSerializer)
    def get_evidence(self, obj):
        user = _reader(self)
        return chain_output(self.chain(user, obj) if user is not None else {})


def recommendation_evidence(user, recommendation) -> dict:
    return evidence.recommendation_chain(user=user, recommendation=recommendation)


def submission_evidence(user, submission) -> dict:
    return evidence.submission_chain(user=user, submission=submission)


def demand_evidence(user, demand) -> dict:
    return evidence.demand_chain(user=user, demand=demand)


def policy_evidence(user, policy) -> dict:
    return evidence.policy_api_chain(user=user, policy=policy)
