from .views import dashboard, queues, review

app_name = "reviews"

urlpatterns = [*queues.urlpatterns, *review.urlpatterns, *dashboard.urlpatterns]
