"""Serializer fields shared by the apps' APIs."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS


class PrimaryKeysRelatedField(serializers.PrimaryKeyRelatedField):
    """`PrimaryKeyRelatedField` whose `many=True` form looks every key up in one query.

    DRF's own runs one query per key; the errors (type, missing object) are the same.
    """

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        list_kwargs.update({key: kwargs[key] for key in kwargs if key in MANY_RELATION_KWARGS})
        return _ManyPrimaryKeysField(**list_kwargs)


class _ManyPrimaryKeysField(serializers.ManyRelatedField):
    def to_internal_value(self, data):
        if isinstance(data, str) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        if not self.allow_empty and len(data) == 0:
            self.fail("empty")
        child = self.child_relation
        queryset = child.get_queryset()
        pk = queryset.model._meta.pk
        keys = []
        for item in data:
            try:
                if isinstance(item, bool):
                    raise TypeError
                keys.append(pk.to_python(item))
            except (TypeError, ValueError, ValidationError):
                child.fail("incorrect_type", data_type=type(item).__name__)
        found = queryset.in_bulk(keys) if keys else {}
        for key in keys:
            if key not in found:
                child.fail("does_not_exist", pk_value=key)
        return [found[key] for key in keys]
