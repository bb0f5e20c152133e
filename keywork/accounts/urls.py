from django.urls import path

from keywork.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("sign-in/set-up-two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("account/", views.account, name="account"),
    path("account/confirm-password/", views.confirm_password, name="confirm_password"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/two-factor/", views.two_factor_reset, name="two_factor_reset"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
