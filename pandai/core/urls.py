from django.urls import path

from pandai.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("ganti-upt/", views.switch_site, name="switch_site"),
    path("petugas/", views.staff_list, name="staff_list"),
    path("petugas/baru/", views.staff_create, name="staff_create"),
    path("petugas/<int:pk>/", views.staff_edit, name="staff_edit"),
    path("petugas/<int:pk>/sandi/", views.staff_password, name="staff_password"),
    path("petugas/<int:pk>/aktif/", views.staff_active, name="staff_active"),
    path("perangkat/", views.device_list, name="device_list"),
    path("perangkat/<int:pk>/cabut/", views.device_revoke, name="device_revoke"),
    path("hari-libur/", views.holiday_list, name="holiday_list"),
    path("upt/", views.site_settings, name="site_settings"),
    path("audit/", views.audit_list, name="audit_list"),
]
