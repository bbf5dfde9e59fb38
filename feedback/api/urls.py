from rest_framework.routers import DefaultRouter

from .views import ActionViewSet, EntryViewSet, RoundViewSet

router = DefaultRouter(trailing_slash=True)
router.register("rounds", RoundViewSet, basename="feedback-round")
router.register("entries", EntryViewSet, basename="feedback-entry")
router.register("actions", ActionViewSet, basename="feedback-action")

urlpatterns = router.urls
