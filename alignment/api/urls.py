from rest_framework.routers import SimpleRouter

from .views import CampaignViewSet, ThemeViewSet

router = SimpleRouter(trailing_slash=True)
router.register("themes", ThemeViewSet, basename="theme")
router.register("campaigns", CampaignViewSet, basename="campaign")

urlpatterns = router.urls
