from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from core.keyset import InvalidCursor, decode_cursor, keyset_page
from core.roles import CapabilityRequiredMixin, can
from crm.models import Conversation

from ..filters import InsightFeedFilter
from ..models import InsightQuestion
from ..selectors import feed as feed_selectors
from ..services import insights


def _same_site_path(target: str) -> str:
    """`target` when it is a path on this site (never an open redirect), else ''."""
    return target if target.startswith("/") and not target.startswith("//") else ""


class FeedView(CapabilityRequiredMixin, ListView):
    """The stream of conversations with filters, search and triage (seed 004).

    Paged by position ("Newer" / "Older"), never by counting the matches; the summaries
    above it come from a cache a few minutes old, the stream itself is always current.
    """

    required_capability = "conversation.read"
    template_name = "alignment/feed.html"
    context_object_name = "conversations"
    paginate_by = 20

    def get_queryset(self):
        self.filterset = InsightFeedFilter(
            self.request.GET or None,
            queryset=feed_selectors.feed_conversations(user=self.request.user),
            request=self.request,
            page=True,
        )
        return self.filterset.qs if self.filterset.is_bound else self.filterset.queryset

    def paginate_queryset(self, queryset, page_size):
        ordering = feed_selectors.FEED_ORDERING
        try:
            cursor = decode_cursor(
                self.request.GET.get("cursor"), model=queryset.model, ordering=ordering
            )
        except InvalidCursor:
            cursor = None  # an old or edited link: start from the newest
        page = keyset_page(
            queryset,
            ordering=ordering,
            size=page_size,
            cursor=cursor,
            collect_then_sort=InsightFeedFilter.filters_are_correlated(self.request.GET),
        )
        return None, page, page.rows, not page.complete

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for position in ("page", "cursor"):
            query.pop(position, None)
        context.update(
            filter=self.filterset,
            query_string=query.urlencode(),
            filtered=any(v for k, v in query.items()),
            summaries=feed_selectors.feed_summaries(),
            can_triage=can(self.request.user, "insight.triage"),
        )
        return context


class FeedItemActionView(CapabilityRequiredMixin, View):
    """POST triage on one feed item; htmx gets the card back, plain forms a redirect."""

    required_capability = "insight.triage"

    def post(self, request, pk, action):
        if action not in insights.TRIAGE_ACTIONS:
            raise Http404
        conversation = get_object_or_404(Conversation.objects.select_related("author"), pk=pk)
        error = ""
        try:
            insights.apply_triage_action(
                user=request.user, conversation=conversation, action=action, data=request.POST
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        if request.htmx:
            context = {
                "c": feed_selectors.feed_conversations(user=request.user).get(pk=pk),
                "can_triage": True,
                "item_error": error,
                "item_action": action,
                "next_url": _same_site_path(request.htmx.current_url_abs_path or ""),
            }
            return render(request, "alignment/includes/feed_item.html", context)
        if error:
            messages.error(request, error)
        elif action == "ask":
            messages.success(request, _("Question sent to %(rep)s.") % {"rep": conversation.author})
        return redirect(_same_site_path(request.POST.get("next", "")) or "alignment:feed")


class QuestionDetailView(CapabilityRequiredMixin, TemplateView):
    """A marketer's question about a conversation; the rep answers it here."""

    required_capability = "conversation.read"
    template_name = "alignment/question_detail.html"

    def get_question(self) -> InsightQuestion:
        question = get_object_or_404(
            InsightQuestion.objects.select_related(
                "asked_by", "asked_to", "conversation__account", "conversation__theme"
            ),
            pk=self.kwargs["pk"],
        )
        user = self.request.user
        if user.pk not in (question.asked_to_id, question.asked_by_id) and not can(
            user, "insight.triage"
        ):
            raise PermissionDenied
        return question

    def get_context_data(self, **kwargs):
        question = self.get_question()
        return super().get_context_data(
            question=question,
            can_answer=question.asked_to_id == self.request.user.pk,
            **kwargs,
        )

    def post(self, request, pk):
        question = self.get_question()
        try:
            insights.answer_question(
                user=request.user, question=question, answer=request.POST.get("answer", "")
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Answer sent."))
        return redirect("alignment:question-detail", pk=pk)


class UnawareMentionsView(CapabilityRequiredMixin, ListView):
    """Customers mentioned a campaign the rep had not heard of: the flyer problem, measured."""

    required_capability = "campaign.manage"
    template_name = "alignment/mentions.html"
    context_object_name = "mentions"
    paginate_by = 30

    def get_queryset(self):
        return feed_selectors.unaware_mentions()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            by_campaign=feed_selectors.unaware_mentions_by_campaign(), **kwargs
        )
