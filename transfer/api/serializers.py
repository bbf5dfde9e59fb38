from rest_framework import serializers

from ..models import ImportRun


class ImportRunSerializer(serializers.ModelSerializer):
    created_by = serializers.StringRelatedField()
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = ImportRun
        fields = [
            "id",
            "kind",
            "preset",
            "duplicates",
            "filename",
            "file_format",
            "headers",
            "mapping",
            "phase",
            "status",
            "total_rows",
            "processed_rows",
            "percent",
            "created_count",
            "updated_count",
            "skipped_count",
            "refused_count",
            "error",
            "created_by",
            "created_at",
            "finished_at",
            "undone_at",
        ]
        read_only_fields = fields


class ImportRunDetailSerializer(ImportRunSerializer):
    class Meta(ImportRunSerializer.Meta):
        fields = [*ImportRunSerializer.Meta.fields, "problems", "preview"]
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=ImportRun.Kind.choices)
    preset = serializers.ChoiceField(choices=ImportRun.Preset.choices)


class ImportMappingSerializer(serializers.Serializer):
    mapping = serializers.DictField(child=serializers.CharField(allow_blank=True))
    duplicates = serializers.ChoiceField(choices=ImportRun.Duplicates.choices)


class ImportStartSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(
        default=False, help_text="Only check the rows (the preview); write nothing."
    )
