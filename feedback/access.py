"""Who may see and close which reports.

- Superusers and the Chefredaktion: every report (they answer when an owner is gone).
- Everyone else with admin access: the reports of articles they may edit (the Redaktion groups
  may edit every article, so in practice all), plus those of the articles they own or stand in
  for, even without any page permission: the owner answers for the content.
- An owner or deputy without admin access (a member of Mitarbeitende) sees and closes the
  reports of their articles on the reading side, /rueckmeldung/meldungen/ (`closable_reports`).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from wagtail.permission_policies.pages import PagePermissionPolicy

from kb.reviews import CHIEF_GROUP

from .models import Report


def _is_chief(user) -> bool:
    return user.is_superuser or user.groups.filter(name=CHIEF_GROUP).exists()


def reports_for_user(user) -> QuerySet[Report]:
    """The reports `user` may see and close (open and closed)."""
    reports = Report.objects.all()
    if not user.is_authenticated or not user.is_active:
        return reports.none()
    if not user.has_perm("wagtailadmin.access_admin"):
        return reports.none()
    if _is_chief(user):
        return reports
    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return reports.filter(
        Q(article__responsible=user)
        | Q(article__deputy=user)
        | Q(article_id__in=editable.order_by().values("pk"))
    )


def owned_reports(user) -> QuerySet[Report]:
    """Reports of the articles `user` owns or stands in for."""
    if not user.is_authenticated or not user.is_active:
        return Report.objects.none()
    return Report.objects.filter(Q(article__responsible=user) | Q(article__deputy=user))


def closable_reports(user) -> QuerySet[Report]:
    """Every report `user` may see and close, in the admin or on the reading side."""
    if user.is_authenticated and user.is_active and user.has_perm("wagtailadmin.access_admin"):
        return reports_for_user(user)
    return owned_reports(user)


def may_see_reports(user) -> bool:
    """Whether the admin menu shows "Rückmeldungen" to `user`."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not user.has_perm("wagtailadmin.access_admin"):
        return False
    if _is_chief(user):
        return True
    if PagePermissionPolicy().user_has_any_permission(user, ["change"]):
        return True
    from kb.models import ArticlePage

    return ArticlePage.objects.filter(Q(responsible=user) | Q(deputy=user)).exists()


def may_see_helpfulness_report(user) -> bool:
    """The report "Hilfreiche Beiträge": everybody who writes or approves articles (admin
    users with a page permission: the Redaktion groups and the Chefredaktion)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not user.has_perm("wagtailadmin.access_admin"):
        return False
    return PagePermissionPolicy().user_has_any_permission(user, ["add", "change", "publish"])
