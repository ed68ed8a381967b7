"""Who may do what in the cooperation area.

Staff read everything that is published. Members of a working group (a member row whose
contact person is linked to the user's account) record results and actions and update actions
of their group; the Redaktion groups, the Chefredaktion and administrators may do so in every
group. Leads are members with the role "Leitung".
"""

from __future__ import annotations

from django.db.models import Q

from kb.admin_forms import EDITORIAL_GROUP_PREFIX
from kb.models import ContactPerson
from kb.reviews import CHIEF_GROUP

from .models import Action, MemberRole, WorkingGroupMember, WorkingGroupPage


def person_for_user(user) -> ContactPerson | None:
    """The contact person that is this user (linked account)."""
    if user is None or not user.is_authenticated:
        return None
    return ContactPerson.objects.filter(user=user).select_related("city", "department").first()


def is_editor(user) -> bool:
    """Redaktion (any city), Chefredaktion or administrator."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(
        Q(name=CHIEF_GROUP) | Q(name__startswith=EDITORIAL_GROUP_PREFIX)
    ).exists()


def _memberships(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return WorkingGroupMember.objects.none()
    return WorkingGroupMember.objects.filter(person__user=user)


def group_ids_of(user) -> set[int]:
    """The working groups the user is a member (or lead) of."""
    return set(_memberships(user).values_list("page_id", flat=True))


def lead_group_ids_of(user) -> set[int]:
    return set(_memberships(user).filter(role=MemberRole.LEAD).values_list("page_id", flat=True))


def is_member(user, group: WorkingGroupPage) -> bool:
    return _memberships(user).filter(page=group).exists()


def is_lead(user, group: WorkingGroupPage) -> bool:
    return _memberships(user).filter(page=group, role=MemberRole.LEAD).exists()


def can_record(user, group: WorkingGroupPage) -> bool:
    """May record results and agree actions for the group."""
    return is_editor(user) or is_member(user, group)


def can_update_action(user, action: Action) -> bool:
    """May change the status of an action and add progress notes."""
    return is_editor(user) or is_member(user, action.group)


def is_editor_or_lead(user) -> bool:
    """Editors and working-group leads (e.g. for the transfer radar)."""
    return is_editor(user) or bool(lead_group_ids_of(user))
