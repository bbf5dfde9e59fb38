"""CRM API viewsets: thin over crm.selectors and crm.services."""

from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from core.api.pagination import KeysetPagination
from core.roles import HasCapability

from .. import selectors
from ..filters import AccountFilter, ContactFilter, ConversationFilter, OpportunityFilter
from ..models import Account, Contact, Conversation, FollowUp, Opportunity
from ..services import accounts as account_services
from ..services import conversations as conversation_services
from ..services import deletion as deletion_services
from ..services import followups as followup_services
from ..services import gdpr as gdpr_services
from ..services import opportunities as opportunity_services
from . import serializers as s
from .concurrency import CONFLICT_RESPONSES, IF_MATCH, VersionedViewSetMixin


def _versioned_schema(serializer_class):
    """Document If-Match and the 409 / 412 answers on update and partial update."""
    responses = {200: serializer_class, **CONFLICT_RESPONSES}
    return extend_schema_view(
        update=extend_schema(parameters=[IF_MATCH], responses=responses),
        partial_update=extend_schema(parameters=[IF_MATCH], responses=responses),
    )


class _WriteViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create, update; nothing in the CRM is hard-deleted through the API."""


class AccountViewSet(_WriteViewSet):
    """Customer companies."""

    queryset = Account.objects.none()
    serializer_class = s.AccountSerializer
    permission_classes = [HasCapability.of("crm.read", write="crm.write")]
    filterset_class = AccountFilter
    search_fields = ["name"]
    ordering_fields = ["name", "created_at"]
    ordering = ["name"]

    def get_queryset(self):
        return selectors.accounts_qs()

    def perform_create(self, serializer):
        serializer.instance = account_services.create_account(
            creator=self.request.user, data=serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = account_services.update_account(
            account=serializer.instance, editor=self.request.user, data=serializer.validated_data
        )


GDPR_ACTIONS = {"personal_data", "erase"}


class ContactViewSet(_WriteViewSet):
    """People at accounts; `?account=` lists one account's contacts."""

    queryset = Contact.objects.none()
    serializer_class = s.ContactSerializer
    permission_classes = [HasCapability.of("crm.read", write="crm.write")]
    filterset_class = ContactFilter
    search_fields = ["name", "email"]
    ordering_fields = ["name", "created_at"]
    ordering = ["name"]

    def get_queryset(self):
        return selectors.contacts_qs()

    def perform_create(self, serializer):
        serializer.instance = account_services.create_contact(
            creator=self.request.user, data=serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = account_services.update_contact(
            contact=serializer.instance, editor=self.request.user, data=serializer.validated_data
        )

    def get_permissions(self):
        # By route: every method on the personal-data routes is for managers only.
        route_actions = set((getattr(self, "action_map", None) or {}).values())
        if self.action in GDPR_ACTIONS or (route_actions and route_actions <= GDPR_ACTIONS):
            return [HasCapability.of("gdpr.manage")()]
        return super().get_permissions()

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        description="Everything Silta holds about the contact (GDPR export; audited).",
    )
    @action(detail=True, methods=["get"], url_path="personal-data")
    def personal_data(self, request, pk=None):
        return Response(gdpr_services.export_contact(contact=self.get_object(), user=request.user))

    @extend_schema(
        request=None,
        responses={200: s.ContactSerializer},
        description="Erase the person's data (pseudonymised everywhere; audited). Irreversible.",
    )
    @action(detail=True, methods=["post"])
    def erase(self, request, pk=None):
        contact = gdpr_services.erase_contact(contact=self.get_object(), user=request.user)
        return Response(self.get_serializer(contact).data)


@_versioned_schema(s.OpportunitySerializer)
class OpportunityViewSet(VersionedViewSetMixin, _WriteViewSet):
    """Deals; moving to won or lost sets `closed_at`, lost needs `lost_reason`."""

    queryset = Opportunity.objects.none()
    serializer_class = s.OpportunitySerializer
    permission_classes = [HasCapability.of("crm.read", write="crm.write")]
    filterset_class = OpportunityFilter
    search_fields = ["name"]
    ordering_fields = ["created_at", "amount", "stage", "closed_at"]
    ordering = ["-created_at"]

    def get_queryset(self):
        return selectors.opportunities_qs()

    def perform_create(self, serializer):
        serializer.instance = opportunity_services.create_opportunity(
            owner=self.request.user, data=serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = self.run_versioned_update(
            serializer,
            lambda expected: opportunity_services.update_opportunity(
                opportunity=serializer.instance,
                editor=self.request.user,
                data=serializer.validated_data,
                expected_version=expected,
            ),
        )


@_versioned_schema(s.ConversationSerializer)
@extend_schema_view(
    destroy=extend_schema(
        description="Soft delete (the author or a manager): hidden everywhere at once, "
        "restorable by a manager for 30 days, then purged."
    ),
)
class ConversationViewSet(VersionedViewSetMixin, mixins.DestroyModelMixin, _WriteViewSet):
    """Structured conversation logs. `status` complete (default) is refused with field errors
    when the rules fail; `author` is always the caller; only the author edits; the author
    or a manager deletes (softly).

    Lists are keyset pages: follow `next` (it carries a `cursor`) until it is null; `count`
    is null unless every match is on the page. `?page=N` still answers counted pages."""

    queryset = Conversation.objects.none()
    serializer_class = s.ConversationSerializer
    permission_classes = [HasCapability.of("conversation.read", write="conversation.log")]
    filterset_class = ConversationFilter
    # Full-text search is the filter set's `search`, so DRF's SearchFilter is left out.
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    pagination_class = KeysetPagination
    ordering_fields = ["occurred_at", "quality_score", "created_at"]
    ordering = ["-occurred_at", "-id"]

    def get_queryset(self):
        return selectors.conversation_records_for(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = conversation_services.log_conversation(
            author=self.request.user, data=serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = self.run_versioned_update(
            serializer,
            lambda expected: conversation_services.update_conversation(
                conversation=serializer.instance,
                editor=self.request.user,
                data=serializer.validated_data,
                expected_version=expected,
            ),
        )

    def perform_destroy(self, instance):
        deletion_services.delete_conversation(conversation=instance, user=self.request.user)

    def get_permissions(self):
        # By route, not only by action: any method on the restore route is for managers only.
        route_actions = set((getattr(self, "action_map", None) or {}).values())
        if self.action == "restore" or route_actions == {"restore"}:
            return [HasCapability.of("crm.manage")()]
        return super().get_permissions()

    @extend_schema(request=None, responses={200: s.ConversationSerializer})
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        """Bring back a conversation deleted less than 30 days ago (managers)."""
        conversation = get_object_or_404(Conversation.all_objects, pk=pk)
        conversation = deletion_services.restore_conversation(
            conversation=conversation, user=request.user
        )
        return Response(self.get_serializer(conversation).data, status=status.HTTP_200_OK)


@extend_schema_view(
    partial_update=extend_schema(description="Send `done: true` or `done: false`."),
)
class FollowUpViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own follow-ups, made from the next steps of their conversations."""

    queryset = FollowUp.objects.none()
    serializer_class = s.FollowUpSerializer
    permission_classes = [HasCapability.of("conversation.log")]
    filterset_fields = ["due"]
    ordering_fields = ["due", "done_at"]
    ordering = ["due", "id"]

    def get_queryset(self):
        return selectors.followups_for(user=self.request.user)

    def perform_update(self, serializer):
        if "done" in serializer.validated_data:
            followup_services.set_followup_done(
                followup=serializer.instance,
                user=self.request.user,
                done=serializer.validated_data["done"],
            )
