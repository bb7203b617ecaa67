"""The kiosk app's staff page (printers of the kiosk devices), mounted at perangkat-kios/."""

from django.urls import URLPattern, URLResolver, path

from pandai.kiosk.views import staff

app_name = "kiosk_staff"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", staff.printers, name="printers"),
    path("<int:pk>/printer/", staff.printer_set, name="printer_set"),
    path("<int:pk>/uji/", staff.printer_test, name="printer_test"),
]
