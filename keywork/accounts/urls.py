from django.urls import path

from keywork.accounts import staff_views, views

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
    path("staff/", staff_views.staff_list, name="staff_list"),
    path("staff/invite/", staff_views.staff_invite, name="staff_invite"),
    path(
        "staff/invitations/<id:invitation_id>/withdraw/",
        staff_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("staff/<id:user_id>/", staff_views.staff_detail, name="staff_detail"),
    path("staff/<id:user_id>/deactivate/", staff_views.staff_deactivate, name="staff_deactivate"),
    path("staff/<id:user_id>/roles/new/", staff_views.role_add, name="role_add"),
    path(
        "staff/<id:user_id>/roles/<id:membership_id>/remove/",
        staff_views.role_remove,
        name="role_remove",
    ),
]
