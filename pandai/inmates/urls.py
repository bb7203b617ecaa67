from django.urls import path

from pandai.inmates import views

app_name = "inmates"
urlpatterns = [
    path("", views.inmate_list, name="list"),
    path("cari/", views.find, name="find"),
    path("<int:pk>/", views.inmate_detail, name="detail"),
    path("<int:pk>/foto/", views.inmate_photo, name="photo"),
]
