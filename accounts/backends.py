"""The authentication backends, as Django's and allauth's, with the session's account read in one statement
(``accounts.userrow``): its row, its roles and the extras other apps read with it (docs/performance.md, fix 32).
Django still checks the session's hash against the row, and an inactive account is still refused."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from .userrow import account_by_id


class _AccountInOneStatement:
    def get_user(self, user_id):
        user = account_by_id(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_AccountInOneStatement, DjangoModelBackend):
    pass


class AuthenticationBackend(_AccountInOneStatement, AllauthBackend):
    pass
