"""Writes for the alignment self-assessment: open and close rounds, submit answers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import Role, can, roles_of

from ..instrument import STATEMENTS
from ..models import AssessmentAnswer, AssessmentResponse, AssessmentRound, AssessmentSide


def side_of(user) -> str | None:
    """The side a respondent answers for; a manager who also sells answers as a manager."""
    roles = roles_of(user)
    for role, side in (
        (Role.MANAGER, AssessmentSide.MANAGER),
        (Role.MARKETING, AssessmentSide.MARKETING),
        (Role.SALES, AssessmentSide.SALES),
    ):
        if role in roles:
            return side
    if getattr(user, "is_superuser", False):
        return AssessmentSide.MANAGER
    return None


@transaction.atomic
def open_round(*, opened_by, title: str) -> AssessmentRound:
    if not can(opened_by, "assessment.run"):
        raise PermissionDenied
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("Give the round a title, e.g. the quarter.")]})
    return AssessmentRound.objects.create(
        title=title, opened_by=opened_by, opened_at=timezone.now()
    )


@transaction.atomic
def close_round(*, closed_by, round_id: int) -> AssessmentRound:
    if not can(closed_by, "assessment.run"):
        raise PermissionDenied
    AssessmentRound.objects.filter(pk=round_id, status=AssessmentRound.Status.OPEN).update(
        status=AssessmentRound.Status.CLOSED, closed_at=timezone.now()
    )
    return AssessmentRound.objects.get(pk=round_id)


@transaction.atomic
def submit_response(*, respondent, round_id: int, scores: dict[str, int]) -> AssessmentResponse:
    """Store one person's 20 scores (1–5); answering twice in a round is refused."""
    side = side_of(respondent)
    if side is None or not can(respondent, "assessment.answer"):
        raise PermissionDenied
    assessment_round = AssessmentRound.objects.select_for_update().get(pk=round_id)
    if not assessment_round.is_open:
        raise ValidationError({"round": [_("This round is closed.")]})
    errors = {}
    for statement in STATEMENTS:
        score = scores.get(statement.key)
        if not isinstance(score, int) or not 1 <= score <= 5:
            errors[statement.key] = [_("Choose a score from 1 to 5.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            response = AssessmentResponse.objects.create(
                round=assessment_round,
                respondent=respondent,
                side=side,
                total=sum(scores[statement.key] for statement in STATEMENTS),
                submitted_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise ValidationError({"round": [_("You have already answered this round.")]}) from exc
    AssessmentAnswer.objects.bulk_create(
        AssessmentAnswer(response=response, statement=s.key, area=s.area, score=scores[s.key])
        for s in STATEMENTS
    )
    return response
