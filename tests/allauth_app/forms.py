"""A project's own allauth signup form (ACCOUNT_FORMS["signup"])."""

from allauth.account.forms import SignupForm
from django import forms


class InviteSignupForm(SignupForm):
    invite = forms.CharField()

    def clean_invite(self):
        if self.cleaned_data["invite"] != "sesame":
            raise forms.ValidationError("Unknown invitation.", code="bad_invite")
        return self.cleaned_data["invite"]
