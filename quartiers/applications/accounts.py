"""Sign-up by e-mail with confirmation: the account stays inactive until the link sent by e-mail is followed.

The username is the e-mail address (lowercase); logging in uses ``core:login``.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login, password_validation
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from quartiers.applications.services import invitations_accept
from quartiers.common.tasks import mail_enqueue_on_commit


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """A token that stops working once the account is active (and expires with PASSWORD_RESET_TIMEOUT)."""

    key_salt = "quartiers.applications.accounts.ActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.password}{user.is_active}{timestamp}{user.email}"


activation_token = ActivationTokenGenerator()


class SignupForm(forms.Form):
    email = forms.EmailField(label="Adresse électronique", max_length=150,
                             help_text="Elle sert d'identifiant ; un lien de confirmation y sera envoyé.")
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    password1 = forms.CharField(label="Mot de passe", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text="Au moins 10 caractères, pas uniquement des chiffres, ni trop courant.")
    password2 = forms.CharField(label="Confirmation du mot de passe",
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(username__iexact=email, is_active=True).exists():
            raise forms.ValidationError("Un compte existe déjà avec cette adresse : connectez-vous, ou demandez un "
                                        "nouveau mot de passe.")
        return email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        elif p1 and cleaned.get("email"):
            User = get_user_model()
            probe = User(username=cleaned["email"], email=cleaned["email"], first_name=cleaned.get("first_name", ""),
                         last_name=cleaned.get("last_name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


def signup_create(*, email: str, first_name: str, last_name: str, password: str, base_url: str):
    """Create (or refresh) an inactive account and send the confirmation link."""
    User = get_user_model()
    user = User.objects.filter(username__iexact=email).first() or User(username=email)
    user.email = email
    user.first_name = first_name
    user.last_name = last_name
    user.is_active = False
    user.set_password(password)
    user.save()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = base_url + reverse("applications:signup_confirm", args=[uid, activation_token.make_token(user)])
    body = render_to_string("applications/emails/signup.txt", {"user": user, "link": link})
    mail_enqueue_on_commit(subject="Confirmez votre adresse électronique — Quartiers", body=body, recipients=[email])
    return user


def signup(request, template_name="applications/accounts/signup.html"):
    if request.user.is_authenticated:
        return redirect("applications:dashboard")
    form = SignupForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        signup_create(email=d["email"], first_name=d["first_name"], last_name=d["last_name"], password=d["password1"],
                      base_url=request.build_absolute_uri("/")[:-1])
        return render(request, "applications/accounts/signup_sent.html", {"email": d["email"]})
    return render(request, template_name, {"form": form})


def signup_confirm(request, uidb64: str, token: str):
    User = get_user_model()
    try:
        user = User.objects.get(pk=int(urlsafe_base64_decode(uidb64).decode()))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not activation_token.check_token(user, token):
        return render(request, "applications/accounts/signup_invalid.html", status=400)
    user.is_active = True
    user.save(update_fields=["is_active"])
    joined = invitations_accept(user=user)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, "Votre adresse est confirmée et votre compte est ouvert."
                     + (f" Vous avez rejoint {joined} structure(s) qui vous avaient invité(e)." if joined else ""))
    return redirect("applications:dashboard")
