def post_init_hook(env):
    """Give every existing company its default dunning policy."""
    env["res.company"].search([])._dunning_ensure_default_policy()
