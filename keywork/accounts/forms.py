from django import forms

from keywork.core.fields import PlainMessages

PASSWORD_HINT = "At least 12 characters. Avoid common passwords; a few unrelated words work well."


class SignInForm(PlainMessages, forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    def clean_email(self) -> str:
        # Lower case so that a lock-out cannot be dodged by changing the case.
        return self.cleaned_data["email"].strip().lower()


class CodeForm(PlainMessages, forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code your app shows now.",
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "width": "5"}
        ),
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )


class ConfirmPasswordForm(PlainMessages, forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )


class NewPasswordForm(PlainMessages, forms.Form):
    new_password = forms.CharField(
        label="New password",
        help_text=PASSWORD_HINT,
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a new password"},
    )
    confirm_password = forms.CharField(
        label="Type the new password again",
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type the new password again"},
    )

    def clean(self):
        data = super().clean()
        new, again = data.get("new_password"), data.get("confirm_password")
        if new and again and new != again:
            self.add_error("confirm_password", "The two passwords are not the same")
        return data
