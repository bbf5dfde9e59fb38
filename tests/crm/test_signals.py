"""`conversation_logged` is sent after commit, for creates and edits (alignment listens)."""

import pytest

from crm.services.conversations import log_conversation, update_conversation
from crm.signals import conversation_logged
from tests.crm.factories import AccountFactory, complete_log

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    calls = []

    def receiver(sender, conversation, created, **kwargs):
        calls.append((conversation.pk, created))

    conversation_logged.connect(receiver, dispatch_uid="test-crm-signal")
    yield calls
    conversation_logged.disconnect(dispatch_uid="test-crm-signal")


def test_signal_after_commit_on_create_and_update(
    sales_user, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        conversation = log_conversation(author=sales_user, data=complete_log(AccountFactory()))
    assert received == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert received == [(conversation.pk, True)]
    with django_capture_on_commit_callbacks(execute=True):
        update_conversation(conversation=conversation, editor=sales_user, data={"status": "draft"})
    assert received[-1] == (conversation.pk, False)


def test_a_refused_log_sends_nothing(sales_user, received, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        log_conversation(author=sales_user, data=complete_log(AccountFactory(), discussed="ok"))
    assert received == []


def test_a_failing_receiver_does_not_break_the_save(sales_user, django_capture_on_commit_callbacks):
    def broken(**kwargs):
        raise RuntimeError("listener bug")

    conversation_logged.connect(broken, dispatch_uid="test-broken")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            conversation = log_conversation(author=sales_user, data=complete_log(AccountFactory()))
    finally:
        conversation_logged.disconnect(dispatch_uid="test-broken")
    assert conversation.pk
