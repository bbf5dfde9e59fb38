"""Daily digests: follow-ups due and drafts left unfinished. One per user per day."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.services.notifications import notify
from crm.models import Conversation, FollowUp

DIGEST_ITEMS = 5
DRAFT_AGE = timedelta(days=1)


def _first_items(queryset, *, owner_field: str, order: list[str]) -> dict[int, list]:
    """The first DIGEST_ITEMS rows per owner, picked in the database with a window."""
    ranked = queryset.annotate(
        rank=Window(RowNumber(), partition_by=[F(owner_field)], order_by=order)
    ).filter(rank__lte=DIGEST_ITEMS)
    items: dict[int, list] = {}
    for row in ranked:
        items.setdefault(getattr(row, f"{owner_field}_id"), []).append(row)
    return items


def remind_due_followups(*, now: datetime | None = None) -> int:
    """Tell each owner of overdue or today's open follow-ups, once a day; returns users told."""
    today = timezone.localdate(now or timezone.now())
    due = FollowUp.objects.filter(done_at__isnull=True, due__lte=today)
    counts = due.values("owner").annotate(
        overdue=Count("pk", filter=Q(due__lt=today)), today=Count("pk", filter=Q(due=today))
    )
    items = _first_items(
        due.select_related("account"), owner_field="owner", order=[F("due").asc(), F("pk").asc()]
    )
    users = get_user_model().objects.in_bulk([row["owner"] for row in counts])
    told = 0
    for row in counts:
        user = users[row["owner"]]
        lines = [
            f"• {item.due:%d.%m.%Y} {item.account.name}: {item.title[:120]}"
            for item in items.get(user.pk, [])
        ]
        summary = _("%(overdue)d overdue, %(today)d due today.") % row
        sent = notify(
            user=user,
            kind="crm.followups_due",
            subject=ngettext(
                "You have %(count)d follow-up to do",
                "You have %(count)d follow-ups to do",
                row["overdue"] + row["today"],
            )
            % {"count": row["overdue"] + row["today"]},
            body="\n".join([summary, *lines]),
            link=reverse("crm:my_followups"),
            dedupe_key=f"crm:followups-due:{today.isoformat()}",
        )
        told += sent is not None
    return told


def remind_incomplete_conversations(*, now: datetime | None = None) -> int:
    """Tell each author of drafts older than a day to complete them, once a day."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    drafts = Conversation.objects.filter(
        status=Conversation.Status.DRAFT, created_at__lt=now - DRAFT_AGE
    )
    counts = drafts.values("author").annotate(total=Count("pk"))
    items = _first_items(
        drafts.select_related("account"),
        owner_field="author",
        order=[F("occurred_at").asc(), F("pk").asc()],
    )
    users = get_user_model().objects.in_bulk([row["author"] for row in counts])
    told = 0
    for row in counts:
        user = users[row["author"]]
        lines = [
            f"• {item.occurred_at:%d.%m.%Y} {item.account.name}" for item in items.get(user.pk, [])
        ]
        sent = notify(
            user=user,
            kind="crm.drafts_incomplete",
            subject=ngettext(
                "%(count)d conversation log is still a draft",
                "%(count)d conversation logs are still drafts",
                row["total"],
            )
            % {"count": row["total"]},
            body="\n".join(
                [_("Complete them while you still remember what the customer said."), *lines]
            ),
            link=reverse("crm:conversation_list") + "?status=draft&mine=1",
            dedupe_key=f"crm:drafts-incomplete:{today.isoformat()}",
        )
        told += sent is not None
    return told
