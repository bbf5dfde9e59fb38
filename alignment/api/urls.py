from rest_framework.routers import SimpleRouter

from .insights import InsightViewSet
from .views import CampaignViewSet, ThemeViewSet

router = SimpleRouter(trailing_slash=True)
router.register("themes", ThemeViewSet, basename="theme")
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("insights", InsightViewSet, basename="insight")

urlpatterns = router.urls
