"""Applications built on a generated model package: its command line
(:mod:`reactor_client.apps.cli`), the playground page (:mod:`reactor_client.apps.playground`,
extra ``[playground]``) and the project scaffold (:mod:`reactor_client.apps.scaffold`)."""
