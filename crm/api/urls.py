from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.register("accounts", views.AccountViewSet, basename="account")
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("opportunities", views.OpportunityViewSet, basename="opportunity")
router.register("conversations", views.ConversationViewSet, basename="conversation")
router.register("followups", views.FollowUpViewSet, basename="followup")

urlpatterns = router.urls
