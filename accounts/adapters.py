from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Hooks into allauth's sign-up and sign-in (filled in by the accounts work)."""
