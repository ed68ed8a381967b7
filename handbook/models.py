"""The offline crisis handbook (Notfallhandbuch): which pages, and the bundles built of them."""
