from rest_framework.routers import DefaultRouter

from .views import ImportRunViewSet

router = DefaultRouter(trailing_slash=True)
router.register("imports", ImportRunViewSet, basename="import-run")

urlpatterns = router.urls
