"""Koperasi: pre-orders from the blocks (list, packing lists, detail, delivery, cancel)."""

from django.urls import URLPattern, URLResolver, path

from pandai.shop.views import orders

urlpatterns: list[URLPattern | URLResolver] = [
    path("", orders.order_list, name="orders"),
    path("kemas/", orders.order_packing, name="orders_packing"),
    path("<int:order_pk>/", orders.order_detail, name="order_detail"),
    path("<int:order_pk>/antar/", orders.order_deliver, name="order_deliver"),
    path("<int:order_pk>/batal/", orders.order_cancel, name="order_cancel"),
]
