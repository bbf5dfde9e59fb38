"""The conversation rules, table by table (issue 3: "refuse 'talked to X'")."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from crm.models import Conversation
from crm.services import rules
from crm.services.conversations import log_conversation, update_conversation
from tests.alignment.factories import ThemeFactory
from tests.crm.factories import AccountFactory, ContactFactory, OpportunityFactory, complete_log

pytestmark = pytest.mark.django_db


def errors_of(user, data) -> dict:
    with pytest.raises(ValidationError) as caught:
        log_conversation(author=user, data=data)
    return caught.value.message_dict


def test_a_complete_substantial_log_is_accepted(sales_user):
    conversation = log_conversation(author=sales_user, data=complete_log(AccountFactory()))
    assert conversation.status == Conversation.Status.COMPLETE
    assert conversation.author == sales_user
    assert conversation.quality_score > 50


PLACEHOLDERS = [
    # English
    ("en", "ok"),
    ("en", "-"),
    ("en", "n/a"),
    ("en", "TBD"),
    ("en", "talked"),
    ("en", "Meeting."),
    ("en", "none"),
    # Finnish
    ("fi", "soitettu"),
    ("fi", "palaveri"),
    ("fi", "ei mitään"),
    ("fi", "Puhuttiin."),
    ("fi", "sovittu"),
    # Dutch
    ("nl", "gesproken"),
    ("nl", "afspraak"),
    ("nl", "nvt"),
    ("nl", "n.v.t."),
    ("nl", "Besproken"),
]


@pytest.mark.parametrize(("language", "text"), PLACEHOLDERS)
@pytest.mark.parametrize("field", ["customer_goal", "discussed", "next_step"])
def test_placeholders_are_refused_in_each_language(sales_user, language, text, field):
    errors = errors_of(sales_user, complete_log(AccountFactory(), **{field: text}))
    assert list(errors) == [field]
    assert "placeholder" in errors[field][0]


@pytest.mark.parametrize(
    "text",
    [
        "talked to Matti",
        "Spoke with the CEO.",
        "soitettu Matille",
        "palaveri Virtasen kanssa",
        "gesproken met Jan",
        "afspraak met de inkoper gehad",
    ],
)
def test_a_bare_it_happened_note_is_refused(sales_user, text):
    errors = errors_of(sales_user, complete_log(AccountFactory(), discussed=text))
    assert "only says that a conversation took place" in errors["discussed"][0]


def test_the_minimum_word_count_is_configurable(sales_user, settings):
    data = complete_log(AccountFactory(), customer_goal="Lower fuel costs")
    assert "at least 4 words" in errors_of(sales_user, data)["customer_goal"][0]
    settings.SILTA_CONVERSATION_MIN_WORDS = {"customer_goal": 2}
    assert log_conversation(author=sales_user, data=data).is_complete


def test_the_same_text_pasted_into_several_fields_is_refused(sales_user):
    text = "They want to cut empty kilometres on the Tampere routes by a fifth."
    errors = errors_of(
        sales_user, complete_log(AccountFactory(), customer_goal=text, discussed=text)
    )
    assert list(errors) == ["discussed"]
    assert "same text" in errors["discussed"][0]


@pytest.mark.parametrize("field", ["customer_goal", "discussed", "outcome"])
def test_goal_discussed_and_outcome_are_required(sales_user, field):
    errors = errors_of(sales_user, complete_log(AccountFactory(), **{field: ""}))
    assert list(errors) == [field]


@pytest.mark.parametrize("field", ["next_step", "next_step_due"])
@pytest.mark.parametrize(
    ("outcome", "required"),
    [
        ("advanced", True),
        ("no_change", True),
        ("setback", True),
        ("won", False),
        ("lost", False),
        ("no_decision", False),
    ],
)
def test_next_step_is_required_unless_the_outcome_closes_the_matter(
    sales_user, field, outcome, required
):
    data = complete_log(
        AccountFactory(), outcome=outcome, **{field: "" if field == "next_step" else None}
    )
    if required:
        assert list(errors_of(sales_user, data)) == [field]
    else:
        assert log_conversation(author=sales_user, data=data).is_complete


def test_a_conversation_cannot_be_in_the_future(sales_user):
    data = complete_log(AccountFactory(), occurred_at=timezone.now() + dt.timedelta(hours=2))
    assert "occurred_at" in errors_of(sales_user, data)


def test_a_draft_cannot_be_in_the_future_either(sales_user):
    data = {
        "account": AccountFactory(),
        "occurred_at": timezone.now() + dt.timedelta(days=1),
        "status": "draft",
    }
    assert "occurred_at" in errors_of(sales_user, data)


def test_next_step_cannot_be_due_before_the_conversation(sales_user):
    occurred = timezone.now() - dt.timedelta(days=3)
    data = complete_log(
        AccountFactory(),
        occurred_at=occurred,
        next_step_due=timezone.localdate(occurred) - dt.timedelta(days=1),
    )
    assert list(errors_of(sales_user, data)) == ["next_step_due"]


def test_contacts_and_opportunity_must_belong_to_the_account(sales_user):
    account = AccountFactory()
    data = complete_log(account, contacts=[ContactFactory()], opportunity=OpportunityFactory())
    assert set(errors_of(sales_user, data)) == {"contacts", "opportunity"}


def test_the_author_is_always_the_requester(sales_user, other_sales_user):
    data = complete_log(AccountFactory(), author=other_sales_user)
    assert log_conversation(author=sales_user, data=data).author == sales_user


def test_a_draft_may_be_saved_with_less(sales_user):
    data = {
        "account": AccountFactory(),
        "occurred_at": timezone.now(),
        "discussed": "ok",
        "status": "draft",
    }
    conversation = log_conversation(author=sales_user, data=data)
    assert conversation.status == Conversation.Status.DRAFT
    assert conversation.quality_score == 0


def test_errors_name_every_failing_field_at_once(sales_user):
    data = {
        "account": AccountFactory(),
        "occurred_at": timezone.now(),
        "customer_goal": "ok",
        "discussed": "talked",
    }
    errors = errors_of(sales_user, data)
    assert set(errors) == {"customer_goal", "discussed", "outcome", "next_step", "next_step_due"}


def test_only_the_author_may_edit(sales_user, other_sales_user, manager_user):
    conversation = log_conversation(author=sales_user, data=complete_log(AccountFactory()))
    for intruder in (other_sales_user, manager_user):
        with pytest.raises(PermissionDenied):
            update_conversation(conversation=conversation, editor=intruder, data={"discussed": "x"})


def test_marketing_may_not_log(marketing_user):
    with pytest.raises(PermissionDenied):
        log_conversation(author=marketing_user, data=complete_log(AccountFactory()))


def test_editing_keeps_history(sales_user):
    conversation = log_conversation(author=sales_user, data=complete_log(AccountFactory()))
    update_conversation(
        conversation=conversation,
        editor=sales_user,
        data={"customer_reaction": "Very keen: asked for references from two other hauliers."},
    )
    records = list(conversation.history.order_by("history_date"))
    assert records[0].customer_reaction.startswith("Interested")
    assert records[-1].customer_reaction.startswith("Very keen")
    assert records[-1].history_user == sales_user


def test_a_proposed_theme_cannot_be_linked(sales_user):
    theme = ThemeFactory()
    assert "theme" in errors_of(sales_user, complete_log(AccountFactory(), theme=theme))


class TestQualityScore:
    """The documented formula in crm.services.rules."""

    def full(self, **overrides):
        values = {
            "customer_goal": " ".join(["goal"] * 15) + " x",
            "discussed": " ".join(["topic"] * 15) + " y",
            "insight_shared": " ".join(["idea"] * 12) + " z",
            "theme": object(),
            "customer_reaction": " ".join(["keen"] * 10) + " w",
            "objections": ["price"],
            "outcome": "advanced",
            "next_step": "send the offer with two options",
            "next_step_due": dt.date(2026, 1, 2),
            "occurred_on": dt.date(2026, 1, 1),
        }
        values.update(overrides)
        return values

    def test_a_full_log_scores_100(self):
        assert rules.quality_score(self.full()) == 100

    @pytest.mark.parametrize(
        ("missing", "points"),
        [
            ({"customer_goal": ""}, 20),
            ({"discussed": ""}, 15),
            ({"insight_shared": ""}, 15),
            ({"theme": None}, 10),
            ({"customer_reaction": ""}, 15),
            ({"objections": []}, 5),
            ({"next_step": ""}, 10),
            ({"next_step_due": None}, 10),
            ({"customer_reaction": "ok"}, 15),
        ],
    )
    def test_each_part_is_worth_its_points(self, missing, points):
        assert rules.quality_score(self.full(**missing)) == 100 - points

    def test_a_closing_outcome_earns_the_next_step_points(self):
        assert (
            rules.quality_score(self.full(outcome="won", next_step="", next_step_due=None)) == 100
        )

    def test_short_text_earns_part_of_the_points(self):
        assert (
            rules.quality_score(self.full(customer_goal="cut fuel costs by a fifth this year"))
            == 91
        )  # 80 + 20 * 8/15


def test_one_history_record_per_save_including_contacts(sales_user):
    from crm.selectors import conversation_history

    account = AccountFactory()
    first, second = (
        ContactFactory(account=account, name="Eva"),
        ContactFactory(account=account, name="Ruud"),
    )
    conversation = log_conversation(author=sales_user, data=complete_log(account, contacts=[first]))
    assert conversation.history.count() == 1
    assert conversation.history.get().history_type == "+"
    update_conversation(
        conversation=conversation, editor=sales_user, data={"contacts": [first, second]}
    )
    assert conversation.history.count() == 2
    latest = conversation_history(conversation=conversation)[0]
    assert latest.kind == "~"
    contacts_change = next(c for c in latest.changes if c.field == "contacts")
    assert (contacts_change.old, contacts_change.new) == ("Eva", "Eva, Ruud")
