"""Factories for the whole suite: one trait per role or state (STYLE.md). Later issues add theirs here."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from accounts.constants import Role

# Every factory user has this password unless given another: sign-in tests can use it.
DEFAULT_PASSWORD = "Factory-Pass-2026!"


def _roles_hook(*default_roles: Role) -> factory.PostGeneration:
    """Post-generation hook that puts the user in groups: the ones passed as ``roles=…``, else the defaults."""

    def join(user, create, extracted, **kwargs):
        if not create:
            return
        roles = default_roles if extracted is None else extracted
        if roles:
            user.groups.add(*(Group.objects.get_or_create(name=Role(role).value)[0] for role in roles))
            user.__dict__.pop("_role_names", None)

    return factory.PostGeneration(join)


class UserFactory(DjangoModelFactory):
    """``UserFactory()`` is an applicant with a verified e-mail address. Traits: ``applicant``, ``reviewer``,
    ``supervisor``, ``administrator`` (staff, in the Django admin); ``roles=(Role…,)`` for any mix;
    ``verified_email=False`` for an address that still waits for its confirmation."""

    class Meta:
        model = "accounts.User"
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name", locale="zh_CN")
    password = factory.django.Password(DEFAULT_PASSWORD)
    is_active = True

    roles = _roles_hook(Role.APPLICANT)

    class Params:
        applicant = factory.Trait(roles=_roles_hook(Role.APPLICANT))
        reviewer = factory.Trait(roles=_roles_hook(Role.REVIEWER))
        supervisor = factory.Trait(roles=_roles_hook(Role.SUPERVISOR))
        administrator = factory.Trait(roles=_roles_hook(Role.ADMINISTRATOR), is_staff=True)

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.update_or_create(
                user=user,
                email=user.email,
                defaults={"primary": True, "verified": True if extracted is None else bool(extracted)},
            )
