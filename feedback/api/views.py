"""Thin viewsets over the feedback services and selectors."""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.roles import HasCapability, can
from crm.api.concurrency import CONFLICT_RESPONSES, IF_MATCH, VersionedViewSetMixin
from feedback import reports, selectors
from feedback.models import Action, FeedbackEntry, FeedbackRound
from feedback.services import actions as action_services
from feedback.services import entries as entry_services
from feedback.services import rounds as round_services

from .serializers import (
    ActionSerializer,
    EntryTriageSerializer,
    FeedbackEntrySerializer,
    FeedbackRoundSerializer,
    RoundReportSerializer,
)


class RoundViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Monthly rounds. POST opens the month's round (once); `close` closes it."""

    serializer_class = FeedbackRoundSerializer
    queryset = FeedbackRound.objects.none()
    permission_classes = [HasCapability.of("feedback.answer", write="feedback.run")]
    filterset_fields = ["month", "status"]
    ordering_fields = ["month"]

    def get_queryset(self):
        return selectors.rounds_overview()

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feedback_round, created = round_services.open_round_for_month(
            month=serializer.validated_data.get("month"), opened_by=request.user
        )
        instance = self.get_queryset().get(pk=feedback_round.pk)
        return Response(
            self.get_serializer(instance).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=None, responses=FeedbackRoundSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        feedback_round = self.get_object()
        round_services.close_round(round_id=feedback_round.pk)
        return Response(self.get_serializer(self.get_queryset().get(pk=feedback_round.pk)).data)

    def get_permissions(self):
        # Per action in code (not @action kwargs) so the role matrix can read it.
        if self.action == "report":
            return [HasCapability.of("feedback.manage")()]
        return super().get_permissions()

    @extend_schema(responses=RoundReportSerializer)
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        """The round's figures: stored for a closed round, live for an open one."""
        feedback_round = self.get_object()
        figures = reports.figures_for(feedback_round)
        previous = reports.previous_round(feedback_round)
        previous_figures = reports.figures_for(previous) if previous else None
        data = {
            **figures,
            "month": feedback_round.month,
            "comparison": reports.comparison(figures, previous_figures),
        }
        return Response(RoundReportSerializer(data).data)


class EntryFilter(django_filters.FilterSet):
    month = django_filters.CharFilter(field_name="round__month")
    theme = django_filters.NumberFilter(field_name="themes")
    tag = django_filters.CharFilter(field_name="tags__name")
    mine = django_filters.BooleanFilter(method="filter_mine", label="Only my own entries")

    class Meta:
        model = FeedbackEntry
        fields = ["round", "kind", "category", "anonymous"]

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        own = selectors.own_entries_everywhere(user=self.request.user).values("pk")
        return queryset.filter(pk__in=own)


class EntryViewSet(viewsets.ModelViewSet):
    """Participants read and write their own entries; marketing and managers read all.

    `author` is null whenever the entry is anonymous, for every caller.
    """

    serializer_class = FeedbackEntrySerializer
    queryset = FeedbackEntry.objects.none()
    permission_classes = [HasCapability.of("feedback.answer")]
    filterset_class = EntryFilter
    search_fields = ["text"]
    ordering_fields = ["submitted_on", "kind", "category"]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        if can(user, "feedback.manage"):
            entries = FeedbackEntry.objects.all()
        else:
            entries = selectors.own_entries_everywhere(user=user)
        return (
            entries.select_related("round")
            .prefetch_related(
                "themes", "tags", Prefetch("actions", queryset=Action.objects.order_by("pk"))
            )
            .order_by("-round__month", "kind", "id")
        )

    def _entry_data(self, serializer) -> dict:
        data = serializer.validated_data
        return {
            "kind": data.get("kind"),
            "text": data.get("text", ""),
            "category": data.get("category", ""),
            "anonymous": data.get("anonymous", False),
            "themes": data.get("themes", []),
            "account": data.get("account"),
        }

    def perform_create(self, serializer):
        serializer.instance = entry_services.submit_entry(
            feedback_round=serializer.validated_data["round"],
            author=self.request.user,
            **self._entry_data(serializer),
        )

    def perform_update(self, serializer):
        entry = serializer.instance
        data = self._entry_data(serializer)
        if serializer.partial:
            current = {
                "kind": entry.kind,
                "text": entry.text,
                "category": entry.category,
                "anonymous": entry.anonymous,
                "themes": list(entry.themes.all()),
                "account": entry.account,
            }
            data = {
                k: (data[k] if k in serializer.validated_data else v) for k, v in current.items()
            }
        try:
            serializer.instance = entry_services.update_entry(
                entry=entry, user=self.request.user, **data
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc

    def perform_destroy(self, instance):
        try:
            entry_services.withdraw_entry(entry=instance, user=self.request.user)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc

    def get_permissions(self):
        # By route, so any method on the triage route (even a wrong one) meets the same rule.
        if (
            "triage" in (getattr(self, "action_map", None) or {}).values()
            or self.action == "triage"
        ):
            return [HasCapability.of("feedback.manage")()]
        return super().get_permissions()

    @extend_schema(request=EntryTriageSerializer, responses=FeedbackEntrySerializer)
    @action(detail=True, methods=["post"])
    def triage(self, request, pk=None):
        entry = self.get_object()
        payload = EntryTriageSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        entry_services.triage_entry(
            entry=entry,
            tags=data.get("tags"),
            themes=data.get("themes"),
            category=data.get("category"),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=entry.pk)).data)


@extend_schema_view(
    update=extend_schema(
        parameters=[IF_MATCH], responses={200: ActionSerializer, **CONFLICT_RESPONSES}
    ),
    partial_update=extend_schema(
        parameters=[IF_MATCH], responses={200: ActionSerializer, **CONFLICT_RESPONSES}
    ),
)
class ActionViewSet(
    VersionedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Actions on feedback; closing one (done / declined) tells the named authors."""

    serializer_class = ActionSerializer
    queryset = Action.objects.none()
    permission_classes = [HasCapability.of("feedback.manage")]
    filterset_fields = ["status", "owner", "round"]
    search_fields = ["title", "description"]
    ordering_fields = ["created_at", "due"]

    def get_queryset(self):
        return selectors.actions_list().prefetch_related("entries")

    def perform_create(self, serializer):
        data = serializer.validated_data
        created = action_services.create_action(
            created_by=self.request.user,
            title=data.get("title", ""),
            entries=data.get("entries", []),
            feedback_round=data.get("round"),
            owner=data.get("owner"),
            due=data.get("due"),
            description=data.get("description", ""),
        )
        if data.get("status") and data["status"] != created.status:
            created = action_services.change_action_status(
                action=created,
                status=data["status"],
                outcome=data.get("outcome", ""),
                decline_reason=data.get("decline_reason", ""),
            )
        serializer.instance = created

    def perform_update(self, serializer):
        current = serializer.instance
        data = serializer.validated_data
        updated = self.run_versioned_update(
            serializer,
            lambda expected: action_services.update_action(
                action=current,
                title=data.get("title", current.title),
                owner=data.get("owner", current.owner),
                due=data.get("due", current.due),
                description=data.get("description", current.description),
                entries=data.get("entries"),
                expected_version=expected,
            ),
        )
        if "status" in data or "outcome" in data:
            updated = action_services.change_action_status(
                action=updated,
                status=data.get("status", updated.status),
                outcome=data.get("outcome", ""),
                decline_reason=data.get("decline_reason", updated.decline_reason),
            )
        serializer.instance = updated
