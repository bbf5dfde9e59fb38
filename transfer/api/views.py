from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.roles import HasCapability

from ..models import ImportRun
from ..selectors import runs_for
from ..services import runs
from .serializers import (
    ImportMappingSerializer,
    ImportRunDetailSerializer,
    ImportRunSerializer,
    ImportStartSerializer,
    ImportUploadSerializer,
)


class ImportRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Import runs: upload a file, set the column mapping, start a dry run or the import,
    poll `percent` while it runs, undo a finished one. Sales see their own runs, managers all."""

    queryset = ImportRun.objects.none()
    permission_classes = [HasCapability.of("transfer.import")]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        queryset = runs_for(user=self.request.user)
        if self.action != "list":
            queryset = queryset.defer(None).defer("content")
        return queryset

    def get_serializer_class(self):
        return ImportRunSerializer if self.action == "list" else ImportRunDetailSerializer

    @extend_schema(request=ImportUploadSerializer, responses={201: ImportRunDetailSerializer})
    def create(self, request):
        """Upload a CSV or XLSX file; the columns are read and mapped from the preset."""
        data = ImportUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = runs.start_import(
            user=request.user,
            upload=data.validated_data["file"],
            kind=data.validated_data["kind"],
            preset=data.validated_data["preset"],
        )
        return Response(ImportRunDetailSerializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ImportMappingSerializer, responses=ImportRunDetailSerializer)
    @action(detail=True, methods=["post"])
    def mapping(self, request, pk=None):
        """Set which column feeds which field (`{"name": "Company name", ...}`)."""
        data = ImportMappingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = runs.set_mapping(run=self.get_object(), user=request.user, **data.validated_data)
        return Response(ImportRunDetailSerializer(run).data)

    @extend_schema(request=ImportStartSerializer, responses={202: ImportRunDetailSerializer})
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """Queue the dry run (`dry_run: true`) or the all-or-nothing import."""
        data = ImportStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        phase = "check" if data.validated_data["dry_run"] else "import"
        run = runs.queue_run(run=self.get_object(), user=request.user, phase=phase)
        run.refresh_from_db()
        return Response(ImportRunDetailSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={202: ImportRunDetailSerializer})
    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        """Queue the undo: what the run created is deleted, what it changed restored."""
        run = runs.queue_undo(run=self.get_object(), user=request.user)
        return Response(ImportRunDetailSerializer(run).data, status=status.HTTP_202_ACCEPTED)
