"""A project using mizan_gql.contrib.allauth: allauth's URLs and the one-line set-up."""
