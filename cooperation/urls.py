"""Site routes of the cooperation area that are not pages (names in the "cooperation"
namespace; each module belongs to one part of the area)."""

from django.urls import include, path

app_name = "cooperation"

urlpatterns = [
    # Recording results (and other working-group actions) from the site.
    path("arbeitsgruppen/", include("cooperation.group_urls")),
    # Agreed actions: tracker, detail with status/notes, CSV, iCal.
    path("massnahmen/", include("cooperation.action_urls")),
    # Who knows what, person pages, "Meine Angaben".
    path("", include("cooperation.people_urls")),
    # Side by side: "So machen es … und …".
    path("vergleich/", include("cooperation.comparison_urls")),
]
