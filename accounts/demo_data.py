"""Demo accounts for `make run`: one per role, with printed passwords; staff get an authenticator app with a known
secret, and `make totp EMAIL=…` prints its current code."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress

from .constants import Role
from .models import User
from .services import user_create, user_join_role, user_totp_set


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    full_name: str
    role: Role
    totp_secret: str | None = None
    is_staff: bool = False
    is_superuser: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("applicant@example.com", "Demo-Applicant-2026!", "王芳", Role.APPLICANT),
    DemoAccount(
        "reviewer@example.com", "Demo-Reviewer-2026!", "李娜", Role.REVIEWER, "REVIEWERDEMOTOTPSECRETICPFILINGA"
    ),
    DemoAccount(
        "supervisor@example.com", "Demo-Supervisor-2026!", "张伟", Role.SUPERVISOR, "SUPERVISORDEMOTOTPSECRETICPFILIN"
    ),
    DemoAccount(
        "admin@example.com",
        "Demo-Admin-2026!",
        "陈静",
        Role.ADMINISTRATOR,
        "ADMINISTRATORDEMOTOTPSECRETICPFA",
        is_staff=True,
        is_superuser=True,
    ),
)


def _ensure(account: DemoAccount) -> User:
    user = User.objects.filter(email=account.email).first()
    if user is None:
        user = user_create(
            email=account.email,
            password=account.password,
            full_name=account.full_name,
            roles=(account.role,),
            is_staff=account.is_staff,
            is_superuser=account.is_superuser,
            email_verified=True,
        )
    else:
        # Put back what a demo session may have changed, so the printed lines stay true.
        if not user.check_password(account.password) or not user.is_active:
            user.set_password(account.password)
            user.is_active = True
            user.save(update_fields=["password", "is_active"])
        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        user_join_role(user=user, role=account.role)
    if account.totp_secret:
        user_totp_set(user=user, secret=account.totp_secret)
    return user


def load() -> list[str]:
    lines = ["", "Demo accounts (sign in at /accounts/login/):"]
    for account in DEMO_ACCOUNTS:
        _ensure(account)
        line = f"  {account.role.label!s:<14} {account.email:<24} password {account.password:<22}"
        if account.totp_secret:
            line += f"   second factor: make totp EMAIL={account.email}"
        lines.append(line)
    lines.append(
        "  Staff sign in with a six-digit code: `make totp EMAIL=…` prints it, or add the secret to an "
        "authenticator app:"
    )
    lines.extend(f"    {a.email}: {a.totp_secret}" for a in DEMO_ACCOUNTS if a.totp_secret)
    lines.append("  The Django admin (/admin/) is for admin@example.com.")
    return lines
