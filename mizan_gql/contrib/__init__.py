"""Optional integrations with other Django packages, each an app of its own.

- ``mizan_gql.contrib.allauth``: django-allauth's account flows as GraphQL mutations and a
  ``current_user`` global context (install ``mizan-gql[allauth]``; see docs/allauth.md).
"""
