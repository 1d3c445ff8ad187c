from django.urls import path

from . import views

app_name = "websites"

urlpatterns = [
    path("instances/", views.instance_list, name="instance_list"),
    path("instances/buy/", views.instance_buy, name="instance_buy"),
    path("instances/<str:instance_id>/renew/", views.instance_renew, name="instance_renew"),
    path("instances/<str:instance_id>/service-numbers/apply/", views.service_number_apply, name="service_number_apply"),
    path("service-numbers/", views.service_number_list, name="service_number_list"),
    path("service-numbers/verify/", views.service_number_verify, name="service_number_verify"),
    path("service-numbers/<str:number>/", views.service_number_detail, name="service_number_detail"),
]
