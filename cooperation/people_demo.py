"""Demo expertise entries for "Wer weiß was?" (demo content only)."""


def on_demo_loaded(sender, with_users: bool = False, stdout=None, **kwargs) -> None:
    return None
