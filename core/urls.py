from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("demo/phone/", views.demo_phone, name="demo_phone"),
]
