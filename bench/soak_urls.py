from django.urls import include, path

urlpatterns = [path("graphql", include("mizan_gql.urls"))]
