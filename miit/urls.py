from django.urls import path

from . import api

app_name = "miit"

urlpatterns = [
    path("api/subjects/lookup/", api.SubjectLookupApi.as_view(), name="api_subject_lookup"),
    path("api/domains/lookup/", api.DomainLookupApi.as_view(), name="api_domain_lookup"),
    path("api/domains/registration/", api.DomainRegistrationApi.as_view(), name="api_domain_registration"),
    path("api/domains/verify-holder/", api.DomainHolderVerifyApi.as_view(), name="api_domain_holder_verify"),
    path("api/legacy/lookup/", api.LegacyLookupApi.as_view(), name="api_legacy_lookup"),
    path("api/principals/lookup/", api.PrincipalLookupApi.as_view(), name="api_principal_lookup"),
    path("api/submissions/", api.SubmitOrderApi.as_view(), name="api_submission_receive"),
]
