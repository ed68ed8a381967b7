"""Demo content of the cooperation area (only with demo logins; never in production)."""


def on_demo_loaded(sender, with_users: bool = False, stdout=None, **kwargs) -> None:
    return None
