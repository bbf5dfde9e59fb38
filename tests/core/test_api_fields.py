"""PrimaryKeysRelatedField: DRF's many primary keys, looked up in one query."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework import serializers

from core.api.fields import PrimaryKeysRelatedField
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Recipients(serializers.Serializer):
    users = PrimaryKeysRelatedField(many=True, queryset=get_user_model().objects.all())


def test_many_keys_are_looked_up_in_one_query_and_keep_their_order(
    django_assert_num_queries,
):
    users = UserFactory.create_batch(4)
    keys = [users[2].pk, users[0].pk, str(users[3].pk)]
    recipients = Recipients(data={"users": keys})
    with django_assert_num_queries(1):
        assert recipients.is_valid(), recipients.errors
    assert recipients.validated_data["users"] == [users[2], users[0], users[3]]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (["999999"], 'Invalid pk "999999" - object does not exist.'),
        (["abc"], "Incorrect type. Expected pk value, received str."),
        ([True], "Incorrect type. Expected pk value, received bool."),
        ("12", 'Expected a list of items but got type "str".'),
    ],
)
def test_bad_keys_are_refused_with_drfs_messages(value, message):
    recipients = Recipients(data={"users": value})
    assert not recipients.is_valid()
    assert [str(error) for error in recipients.errors["users"]] == [message]
