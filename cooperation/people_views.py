"""Wer weiß was? (the matrix), person pages and "Meine Angaben" (a person's own data).

Every change is a plain POST form with a redirect and a message, so all of it works without
JavaScript. A person only ever changes their own entry: the entries are looked up through the
logged-in user's linked contact person, never by an id alone.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kb.listings import city_of_user
from kb.models import ContactPerson, Expertise

from .people import (
    confirm_prompt,
    expert_finder_context,
    is_listed,
    is_stale,
    person_context,
    today,
)
from .people_forms import ExpertiseForm, ProfileForm
from .permissions import is_editor, person_for_user

# Larger ids than a database integer can hold cannot name anything (PostgreSQL would refuse
# the query).
MAX_ID = 2**63 - 1
ACTION_LIST_TEMPLATE = "includes/action_list.html"


def _action_list_available() -> bool:
    # The shared list of actions belongs to the action tracker's part; until it exists the
    # person page lists the titles itself.
    try:
        get_template(ACTION_LIST_TEMPLATE)
    except TemplateDoesNotExist:
        return False
    return True


@require_GET
def expert_finder(request: HttpRequest) -> HttpResponse:
    context = expert_finder_context(request)
    context["own_person"] = person_for_user(request.user)
    return render(request, "cooperation/expert_finder.html", context)


@require_GET
def person_page(request: HttpRequest, pk: int) -> HttpResponse:
    if pk > MAX_ID:
        raise Http404("Unbekannte Person")
    person = ContactPerson.objects.select_related("city", "department").filter(pk=pk).first()
    if person is None or not (is_editor(request.user) or is_listed(person, request)):
        raise Http404("Unbekannte Person")
    context = person_context(person, request)
    context["is_own"] = bool(person.user_id and person.user_id == request.user.pk)
    context["action_list_available"] = _action_list_available()
    return render(request, "cooperation/person_page.html", context)


def _profile_context(request: HttpRequest, person: ContactPerson | None, **forms) -> dict:
    context: dict = {"person": person}
    if person is None:
        user = request.user
        existing = (
            ContactPerson.objects.filter(email__iexact=user.email, user__isnull=True).exists()
            if user.email
            else False
        )
        context.update(
            {
                "account_name": user.get_full_name(),
                "account_email": user.email,
                "account_city": city_of_user(user),
                # A contact person with this address exists already: the Redaktion links it
                # (creating a second one would split the person's articles and entries).
                "existing_unlinked": existing,
                "can_create": bool(user.get_full_name() and user.email and not existing),
            }
        )
        return context
    context.update(person_context(person, request))
    context["profile_form"] = forms.get("profile_form") or ProfileForm(instance=person)
    context["expertise_form"] = forms.get("expertise_form") or ExpertiseForm(
        person=person, auto_id="id_new_%s"
    )
    context["profile_and_expertise_forms"] = [context["profile_form"], context["expertise_form"]]
    context["prompt"] = confirm_prompt(request.user)
    context["person_url"] = reverse("cooperation:person", args=[person.pk])
    return context


@require_http_methods(["GET", "POST"])
def my_profile(request: HttpRequest) -> HttpResponse:
    """Meine Angaben: what the site shows about me, role/department/phone corrected here."""
    person = person_for_user(request.user)
    if request.method == "POST":
        if person is None:
            raise Http404("Keine Angaben verknüpft")
        form = ProfileForm(request.POST, instance=person)
        if form.is_valid():
            form.save()
            messages.success(request, "Gespeichert: Ihre Angaben.")
            return redirect("cooperation:my_profile")
        return render(
            request,
            "cooperation/my_profile.html",
            _profile_context(request, person, profile_form=form),
        )
    return render(request, "cooperation/my_profile.html", _profile_context(request, person))


@require_POST
def my_profile_create(request: HttpRequest) -> HttpResponse:
    """Create the contact person of the logged-in user from their account."""
    user = request.user
    if person_for_user(user) is not None:
        return redirect("cooperation:my_profile")
    context = _profile_context(request, None)
    if not context["can_create"]:
        messages.error(
            request,
            "Ihre Angaben können nicht aus dem Benutzerkonto angelegt werden – bitte wenden "
            "Sie sich an die Redaktion.",
        )
        return redirect("cooperation:my_profile")
    with transaction.atomic():
        ContactPerson.objects.create(
            name=user.get_full_name(),
            email=user.email,
            city=context["account_city"],
            user=user,
        )
    messages.success(request, "Gespeichert: Ihre Angaben sind angelegt. Ergänzen Sie sie jetzt.")
    return redirect("cooperation:my_profile")


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_POST
def my_profile_confirm(request: HttpRequest) -> HttpResponse:
    """Angaben bestätigen: the person and all their expertise entries are confirmed today."""
    person = person_for_user(request.user)
    if person is None:
        raise Http404("Keine Angaben verknüpft")
    day = today()
    with transaction.atomic():
        ContactPerson.objects.filter(pk=person.pk).update(confirmed_on=day)
        Expertise.objects.filter(person=person).update(confirmed_on=day)
    messages.success(request, f"Gespeichert: Ihre Angaben sind bestätigt (Stand {day:%d.%m.%Y}).")
    return redirect(_next_url(request, reverse("cooperation:my_profile")))


@require_POST
def my_expertise_add(request: HttpRequest) -> HttpResponse:
    person = person_for_user(request.user)
    if person is None:
        raise Http404("Keine Angaben verknüpft")
    form = ExpertiseForm(request.POST, person=person, auto_id="id_new_%s")
    if form.is_valid():
        entry = form.save(commit=False)
        # Who enters it now vouches for it now.
        entry.confirmed_on = today()
        entry.save()
        messages.success(request, f"Gespeichert: Fachwissen „{entry.topic.title}“.")
        return redirect(reverse("cooperation:my_profile") + "#fachwissen")
    return render(
        request,
        "cooperation/my_profile.html",
        _profile_context(request, person, expertise_form=form),
    )


def _own_entry(request: HttpRequest, pk: int) -> tuple[ContactPerson, Expertise]:
    """The logged-in user's own entry; 404 for anybody else's (or an unknown id)."""
    person = person_for_user(request.user)
    if person is None or pk > MAX_ID:
        raise Http404("Unbekannter Eintrag")
    entry = Expertise.objects.filter(pk=pk, person=person).select_related("topic", "city").first()
    if entry is None:
        raise Http404("Unbekannter Eintrag")
    return person, entry


@require_http_methods(["GET", "POST"])
def my_expertise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person, entry = _own_entry(request, pk)
    if request.method == "POST":
        form = ExpertiseForm(request.POST, instance=entry, person=person)
        if form.is_valid():
            entry = form.save(commit=False)
            entry.confirmed_on = today()
            entry.save()
            messages.success(request, f"Gespeichert: Fachwissen „{entry.topic.title}“.")
            return redirect(reverse("cooperation:my_profile") + "#fachwissen")
    else:
        form = ExpertiseForm(instance=entry, person=person)
    return render(
        request,
        "cooperation/expertise_form.html",
        {
            "person": person,
            "entry": entry,
            "form": form,
            "entry_stale": is_stale(entry.confirmed_on),
        },
    )


@require_POST
def my_expertise_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _person, entry = _own_entry(request, pk)
    title = entry.topic.title
    entry.delete()
    messages.success(request, f"Gespeichert: Fachwissen „{title}“ entfernt.")
    return redirect(reverse("cooperation:my_profile") + "#fachwissen")
