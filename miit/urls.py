from django.urls import path

from . import api, views

app_name = "miit"

urlpatterns = [
    path("api/subjects/lookup/", api.SubjectLookupApi.as_view(), name="api_subject_lookup"),
    path("api/domains/lookup/", api.DomainLookupApi.as_view(), name="api_domain_lookup"),
    path("api/domains/registration/", api.DomainRegistrationApi.as_view(), name="api_domain_registration"),
    path("api/domains/verify-holder/", api.DomainHolderVerifyApi.as_view(), name="api_domain_holder_verify"),
    path("api/legacy/lookup/", api.LegacyLookupApi.as_view(), name="api_legacy_lookup"),
    path("api/legacy/claim/", api.LegacyClaimApi.as_view(), name="api_legacy_claim"),
    path("api/principals/lookup/", api.PrincipalLookupApi.as_view(), name="api_principal_lookup"),
    path("api/submissions/", api.SubmitOrderApi.as_view(), name="api_submission_receive"),
    path("api/submissions/resend/", api.ResendVerificationApi.as_view(), name="api_submission_resend"),
    path("api/public/query/", api.PublicQueryApi.as_view(), name="api_public_query"),
    # The administration's own pages (miit/views.py).
    path("sms/", views.sms_provinces, name="sms_provinces"),
    path("sms/<str:province_code>/", views.sms_verify, name="sms_verify"),
    path("sms/<str:province_code>/resend/", views.sms_resend, name="sms_resend"),
    path("password/", views.password_retrieve, name="password_retrieve"),
    path("query/", views.public_query, name="public_query"),
]
